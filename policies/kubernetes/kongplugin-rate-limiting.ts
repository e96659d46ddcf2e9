import { defineResourcePolicy, stringListConfig } from '../lib/define';
import { isKindOf } from '../lib/kubernetes';
import { asArray, asBoolean, asNumber, asRecord, asString, at, isUnknown } from '../lib/values';

export const RATE_LIMIT_PLUGINS = ['rate-limiting', 'rate-limiting-advanced'];
export const isKongPlugin = isKindOf(
  { kind: 'KongPlugin', group: 'configuration.konghq.com' },
  { kind: 'KongClusterPlugin', group: 'configuration.konghq.com' },
);

const WINDOWS = ['second', 'minute', 'hour', 'day', 'month', 'year'];

export const kongPluginRateLimiting = defineResourcePolicy<{ allowedPolicies: string[]; requireRedisTls: boolean }>({
  name: 'kubernetes-kongplugin-rate-limiting',
  description:
    'Kong rate-limiting plugins set real limits and count in a shared store (Redis over TLS), so limits hold across gateway replicas.',
  severity: 'medium',
  checklist: ['net-rate-limit'],
  references: ['The guide (Kong rate-limiting with Redis)', 'Kong rate-limiting plugin docs'],
  remediationSteps:
    "Set at least one window (minute, hour...), `policy: 'redis'` and `redis: { host, port: 10000, ssl: true, ssl_verify: true }`.",
  config: {
    allowedPolicies: stringListConfig(
      "Counter stores accepted ('local' counts per gateway pod; 'cluster' needs a database).",
      ['redis'],
    ),
    requireRedisTls: { type: 'boolean', description: 'Require TLS to Redis.', default: true },
  },
  appliesTo: isKongPlugin,
  validate: ({ props }, config, report) => {
    const plugin = asString(props.plugin);
    if (!plugin || !RATE_LIMIT_PLUGINS.includes(plugin)) return;
    const pluginConfig = props.config;
    if (isUnknown(pluginConfig)) return;
    const settings = asRecord(pluginConfig) ?? {};
    const hasLimit =
      plugin === 'rate-limiting'
        ? WINDOWS.some((window) => (asNumber(settings[window]) ?? 0) > 0 || isUnknown(settings[window]))
        : (asArray(settings.limit)?.length ?? 0) > 0 || isUnknown(settings.limit);
    if (!hasLimit) report(`The ${plugin} plugin sets no limit.`);
    const store = asString(plugin === 'rate-limiting' ? settings.policy : settings.strategy) ?? 'local';
    if (!config.allowedPolicies.includes(store)) {
      report(`The ${plugin} plugin counts with '${store}': use ${config.allowedPolicies.join(' or ')}.`);
    }
    if (store === 'redis' && config.requireRedisTls) {
      const ssl = asBoolean(at(settings, 'redis', 'ssl') ?? settings.redis_ssl);
      if (ssl !== true && !isUnknown(at(settings, 'redis', 'ssl'))) {
        report(`The ${plugin} plugin talks to Redis without TLS: set redis.ssl to true.`);
      }
    }
  },
});
