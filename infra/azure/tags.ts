import type { EnvironmentName } from '../../stacks';

/** The tags every taggable resource carries: who pays, who owns, how sensitive the data is. */
export interface StandardTags {
  environment: EnvironmentName;
  owner: string;
  costCenter: string;
  dataClassification: string;
}

export type TagMap = Record<string, string>;

/** The tag keys as Azure sees them; policies check for exactly these. */
export const REQUIRED_TAG_KEYS = ['environment', 'owner', 'cost-center', 'data-classification', 'managed-by'] as const;

export function buildTags(tags: StandardTags): TagMap {
  return {
    environment: tags.environment,
    owner: tags.owner,
    'cost-center': tags.costCenter,
    'data-classification': tags.dataClassification,
    'managed-by': 'pulumi',
  };
}
