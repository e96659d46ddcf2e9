/**
 * Subscription feature flags the platform needs, checked before anything depends on them.
 *
 * Why a check and not a `features.SubscriptionFeatureRegistration` resource: a feature registration "always exists"
 * in ARM (a GET answers 200 with `NotRegistered`), so azure-native's create-time existence check refuses to create
 * it ("cannot create already existing resource", pulumi/pulumi-azure-native#1722, open). Deleting such a resource
 * would also unregister the feature for every other workload of the subscription. Registration stays a one-off
 * prerequisite (`az feature register`, docs/infra.md); the program reads the state at preview and stops with the
 * command to run, instead of failing half-way through a cluster creation.
 */
import { getSubscriptionFeatureRegistrationOutput } from '@pulumi/azure-native/features';
import * as pulumi from '@pulumi/pulumi';
import type { AksProfile } from '../../stacks';

/** A subscription prerequisite is missing; the message names the commands that fix it. */
export class SubscriptionFeatureError extends Error {
  readonly code = 'AZURE_FEATURE_NOT_REGISTERED';
  constructor(readonly problems: readonly string[]) {
    super(`Subscription prerequisites missing:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SubscriptionFeatureError';
  }
}

export interface SubscriptionFeature {
  providerNamespace: string;
  featureName: string;
  /** What fails without it, for the error message. */
  neededFor: string;
}

/** The features a profile needs registered on the subscription. */
export function requiredSubscriptionFeatures(aks: Pick<AksProfile, 'encryptionAtHost'>): SubscriptionFeature[] {
  return aks.encryptionAtHost
    ? [
        {
          providerNamespace: 'Microsoft.Compute',
          featureName: 'EncryptionAtHost',
          neededFor: "the node pools' host encryption (securityProfile.encryptionAtHost)",
        },
      ]
    : [];
}

/** One problem per feature whose state is not `Registered` (unknown in preview counts as fine). */
export function featureRegistrationProblems(
  features: readonly SubscriptionFeature[],
  states: readonly (string | undefined)[],
): string[] {
  return features.flatMap((feature, index) => {
    const state = states[index];
    if (state === 'Registered') return [];
    return [
      `${feature.providerNamespace}/${feature.featureName} is ${state ?? 'not registered'} on the subscription; ` +
        `${feature.neededFor} needs it. Run 'az feature register --namespace ${feature.providerNamespace} ` +
        `--name ${feature.featureName}', wait until 'az feature show' says Registered, then ` +
        `'az provider register --namespace ${feature.providerNamespace}'.`,
    ];
  });
}

/**
 * Resolves to `value` once every feature reads `Registered`; rejects with a SubscriptionFeatureError naming the commands
 * otherwise. Pass a value the dependent resource consumes, so it is created only after the check.
 */
export function afterSubscriptionFeatures<T>(
  features: readonly SubscriptionFeature[],
  value: pulumi.Input<T>,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<T> {
  const states = features.map((feature) =>
    getSubscriptionFeatureRegistrationOutput(
      { providerNamespace: feature.providerNamespace, featureName: feature.featureName },
      opts,
    ).apply((registration) => registration.properties?.state),
  );
  return pulumi.all([pulumi.all(states), value]).apply(([known, resolved]) => {
    const problems = featureRegistrationProblems(features, known);
    if (problems.length > 0) throw new SubscriptionFeatureError(problems);
    return resolved as pulumi.Unwrap<T>;
  }) as pulumi.Output<T>;
}
