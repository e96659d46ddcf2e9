import { defineResourcePolicy, stringListConfig } from '../lib/define';
import { asString, isUnknown } from '../lib/values';

const AZURE_NATIVE_PROVIDER = 'pulumi:providers:azure-native';

/** "West Europe", "westeurope" and "WestEurope" are one location. */
export function normalizeLocation(location: string): string {
  return location.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export const resourceAllowedLocations = defineResourcePolicy<{ allowedLocations: string[] }>({
  name: 'azure-resource-allowed-locations',
  description:
    'Every Azure resource is created in an allowed location (data residency): a typo or a copied stack config cannot put data in another region.',
  severity: 'medium',
  checklist: ['gov-data-classification'],
  references: ['Azure Policy built-in: Allowed locations', 'Azure security benchmark (data residency)'],
  remediationSteps:
    "Set `location` to one of the allowed regions (config allowedLocations), or add the region there after review; 'global' is always allowed.",
  config: {
    allowedLocations: stringListConfig(
      "Azure regions resources may be created in ('global' is always allowed). Names compare without case or spaces.",
      ['westeurope', 'northeurope', 'swedencentral', 'germanywestcentral', 'francecentral'],
    ),
  },
  // A resource without its own location inherits its resource group's, and a resource group without one the
  // provider's (`azure-native:location`, or an explicit provider's `location`): the provider is judged too.
  appliesTo: (type) => type.startsWith('azure-native:') || type === AZURE_NATIVE_PROVIDER,
  validate: ({ type, props }, config, report) => {
    if (isUnknown(props.location)) return;
    const location = asString(props.location);
    if (location === undefined) return;
    const allowed = new Set(['global', ...config.allowedLocations].map(normalizeLocation));
    if (!allowed.has(normalizeLocation(location))) {
      const what =
        type === AZURE_NATIVE_PROVIDER
          ? `The azure-native provider places resources that name no location in ${location}`
          : `The resource is in ${location}`;
      report(`${what}, which is not an allowed location (${config.allowedLocations.join(', ')}).`);
    }
  },
});
