import { AZURE_TYPES } from '../lib/azure';
import { defineDiagnosticsPolicy } from './diagnostics';

/** Azure Managed Redis logs per database: the diagnostic setting targets the database, not the cluster. */
export const REDIS_DIAGNOSTICS = {
  targetType: AZURE_TYPES.redisDatabase,
  armSegment: 'databases',
  nameProperty: 'databaseName',
  categories: [['ConnectionEvents', 'audit', 'allLogs']],
} as const;

export const redisDiagnostics = defineDiagnosticsPolicy(
  {
    name: 'azure-redis-diagnostics',
    description:
      'Every Azure Managed Redis database sends its connection events (who connected, from where, authenticated how) to Log Analytics.',
    severity: 'medium',
    checklist: ['data-audit', 'mon-security-events'],
    references: ['Azure security benchmark LT-3', 'Azure Managed Redis monitoring (ConnectionEvents)'],
    remediationSteps:
      "Add a `monitor.DiagnosticSetting` on the Redis database (`resourceUri: database.id`) with the ConnectionEvents category (or categoryGroup 'audit').",
  },
  REDIS_DIAGNOSTICS,
  'Redis database',
);
