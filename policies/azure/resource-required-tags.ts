import { normalizeTagKey, TAGGABLE_AZURE_TYPES } from '../lib/azure';
import { defineResourcePolicy, stringListConfig } from '../lib/define';
import { asRecord, asString, isUnknown } from '../lib/values';

interface RequiredTagsConfig {
  requiredTags: string[];
  resourceTypes: string[];
}

export const resourceRequiredTags = defineResourcePolicy<RequiredTagsConfig>({
  name: 'azure-resource-required-tags',
  description:
    'Azure resources carry the governance tags: environment, owner and data classification (keys compared loosely: dataClassification = data-classification).',
  severity: 'medium',
  checklist: ['gov-data-classification', 'mon-incident-procedures'],
  references: ['Azure Cloud Adoption Framework tagging', 'AKS landing zone accelerator'],
  remediationSteps: 'Pass the common tags (tags.ts of the program) to every tracked resource.',
  config: {
    requiredTags: stringListConfig('Tag keys every tracked resource must carry with a non-empty value.', [
      'environment',
      'owner',
      'data-classification',
    ]),
    resourceTypes: stringListConfig('The resource types the rule applies to.', [...TAGGABLE_AZURE_TYPES]),
  },
  appliesTo: (type) => type.startsWith('azure-native:'),
  validate: ({ type, props }, config, report) => {
    if (!config.resourceTypes.includes(type) || isUnknown(props.tags)) return;
    const tags = asRecord(props.tags) ?? {};
    const present = new Map(Object.entries(tags).map(([key, value]) => [normalizeTagKey(key), value]));
    const missing = config.requiredTags.filter((key) => {
      const value = present.get(normalizeTagKey(key));
      return !isUnknown(value) && !asString(value)?.trim();
    });
    if (missing.length > 0) report(`Missing required tags: ${missing.join(', ')}.`);
  },
});
