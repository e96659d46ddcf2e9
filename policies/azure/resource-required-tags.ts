import {
  isProductionEnvironment,
  isProductionStack,
  normalizeTagKey,
  type ProductionScopeConfig,
  productionScopeConfig,
  stackNameOfUrn,
  TAGGABLE_AZURE_TYPES,
  tagValue,
} from '../lib/azure';
import { defineResourcePolicy, stringListConfig } from '../lib/define';
import { asRecord, asString, isUnknown } from '../lib/values';

interface RequiredTagsConfig extends ProductionScopeConfig {
  requiredTags: string[];
  resourceTypes: string[];
  judgeEveryLocatedResource: boolean;
}

/**
 * The tags infra/azure/tags.ts writes (REQUIRED_TAG_KEYS there; a test keeps the two equal). Listed here rather than
 * imported so the pack does not load the program.
 */
export const REQUIRED_TAGS: readonly string[] = [
  'environment',
  'owner',
  'cost-center',
  'data-classification',
  'managed-by',
];

export const resourceRequiredTags = defineResourcePolicy<RequiredTagsConfig>({
  name: 'azure-resource-required-tags',
  description:
    'Azure resources carry the governance tags: environment, owner, cost center, data classification and managed-by (keys compared loosely: dataClassification = data-classification); in a production stack the environment tag names production.',
  severity: 'medium',
  checklist: ['gov-data-classification', 'mon-incident-procedures'],
  references: ['Azure Cloud Adoption Framework tagging', 'AKS landing zone accelerator'],
  remediationSteps:
    'Pass the common tags (tags.ts of the program) to every tracked resource; deploy a production stack with the production profile (no `environment: dev` in Pulumi.prod.yaml).',
  config: {
    requiredTags: stringListConfig('Tag keys every tracked resource must carry with a non-empty value.', [
      ...REQUIRED_TAGS,
    ]),
    resourceTypes: stringListConfig('The resource types the rule applies to.', [...TAGGABLE_AZURE_TYPES]),
    judgeEveryLocatedResource: {
      type: 'boolean',
      description:
        'Also judge any Azure resource that declares a location (a tracked resource, hence taggable), so a type added to the program later is not skipped.',
      default: true,
    },
    ...productionScopeConfig,
  },
  appliesTo: (type) => type.startsWith('azure-native:'),
  validate: ({ type, urn, props }, config, report) => {
    const located = config.judgeEveryLocatedResource && props.location !== undefined;
    if (!(config.resourceTypes.includes(type) || located) || isUnknown(props.tags)) return;
    const tags = asRecord(props.tags) ?? {};
    const present = new Map(Object.entries(tags).map(([key, value]) => [normalizeTagKey(key), value]));
    const missing = config.requiredTags.filter((key) => {
      const value = present.get(normalizeTagKey(key));
      return !isUnknown(value) && !asString(value)?.trim();
    });
    if (missing.length > 0) report(`Missing required tags: ${missing.join(', ')}.`);
    // The stack name comes from the engine (the URN), the tag from the program: a production stack deployed with a
    // non-production profile (`environment: dev` in Pulumi.prod.yaml) is refused here by name.
    const environment = tagValue(props, config.environmentTag);
    if (
      typeof environment === 'string' &&
      environment.trim() &&
      isProductionStack(urn, config) &&
      !isProductionEnvironment(environment, config)
    ) {
      report(
        `The ${config.environmentTag} tag is '${environment}' in the production stack '${stackNameOfUrn(urn)}': the stack is deployed with a non-production profile; remove the environment override from Pulumi.${stackNameOfUrn(urn)}.yaml.`,
      );
    }
  },
});
