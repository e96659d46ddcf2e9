import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../stacks';
import {
  afterSubscriptionFeatures,
  featureRegistrationProblems,
  requiredSubscriptionFeatures,
} from '../azure/subscription-features';
import { runProgramUnderMocks } from './harness';

const HOST_ENCRYPTION = { providerNamespace: 'Microsoft.Compute', featureName: 'EncryptionAtHost' };

/** Output has no public await; its internal promise is what the engine waits on. */
const settle = (output: pulumi.Output<unknown>) => (output as unknown as { promise(): Promise<unknown> }).promise();

describe('subscription features', () => {
  it('needs EncryptionAtHost wherever a profile encrypts at host', () => {
    for (const profile of Object.values(PROFILES)) {
      expect(requiredSubscriptionFeatures(profile.aks)).toEqual(
        profile.aks.encryptionAtHost ? [expect.objectContaining(HOST_ENCRYPTION)] : [],
      );
    }
    expect(requiredSubscriptionFeatures({ encryptionAtHost: false })).toEqual([]);
  });

  it('names the commands to run for a feature that is not Registered', () => {
    const features = requiredSubscriptionFeatures({ encryptionAtHost: true });
    expect(featureRegistrationProblems(features, ['Registered'])).toEqual([]);
    expect(featureRegistrationProblems(features, ['NotRegistered'])).toEqual([
      expect.stringMatching(
        /Microsoft\.Compute\/EncryptionAtHost is NotRegistered .*az feature register --namespace Microsoft\.Compute --name EncryptionAtHost.*az provider register --namespace Microsoft\.Compute/,
      ),
    ]);
    expect(featureRegistrationProblems(features, ['Pending'])).toHaveLength(1);
  });

  it('passes the value the cluster consumes through once the feature reads Registered', async () => {
    // The refusal path is featureRegistrationProblems above: a rejected Output would also reject the engine's
    // internal promises, which vitest reports as unhandled.
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
        call: (args) =>
          args.token === 'azure-native:features:getSubscriptionFeatureRegistration'
            ? { properties: { state: 'Registered' } }
            : {},
      },
      'p',
      's',
      false,
    );
    const features = requiredSubscriptionFeatures({ encryptionAtHost: true });
    await expect(settle(afterSubscriptionFeatures(features, 'subnet-id'))).resolves.toBe('subnet-id');
  });

  it.each(['dev', 'staging', 'prod'])('is read by the %s program before its cluster', async (stack) => {
    const run = await runProgramUnderMocks({ stack });
    const reads = run.invokes.filter((i) => i.token === 'azure-native:features:getSubscriptionFeatureRegistration');
    expect(reads.map((read) => read.inputs)).toEqual(
      PROFILES[stack as keyof typeof PROFILES].aks.encryptionAtHost ? [HOST_ENCRYPTION, HOST_ENCRYPTION] : [],
    );
  });
});
