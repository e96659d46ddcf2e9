import { AZURE_TYPES, isType } from '../lib/azure';
import { defineStackPolicy, type StackResource, stringListConfig } from '../lib/define';
import { asString, isUnknown, UNKNOWN, type Unknown } from '../lib/values';

/** Server parameters whose unsafe values the pack refuses, with why. */
const RULES: Record<string, { isSafe: (value: string) => boolean; message: (value: string) => string }> = {
  require_secure_transport: {
    isSafe: (value) => value.toLowerCase() === 'on',
    message: (value) =>
      `require_secure_transport is ${value}: Postgres would accept unencrypted connections; set it to 'on'.`,
  },
  ssl_min_protocol_version: {
    isSafe: (value) => /^tlsv1\.[23]$/i.test(value),
    message: (value) => `ssl_min_protocol_version is ${value}: set TLSv1.2 or TLSv1.3.`,
  },
  log_connections: {
    isSafe: (value) => value.toLowerCase() === 'on',
    message: (value) => `log_connections is ${value}: connection attempts would not be audited; set it to 'on'.`,
  },
  log_disconnections: {
    isSafe: (value) => value.toLowerCase() === 'on',
    message: (value) => `log_disconnections is ${value}: set it to 'on' so sessions can be audited end to end.`,
  },
};

interface ServerParametersConfig {
  requiredParameters: string[];
}

function parameterOf(configuration: StackResource): string | Unknown {
  const name = configuration.props.configurationName;
  if (isUnknown(name)) return UNKNOWN;
  return (asString(name) ?? configuration.name).toLowerCase();
}

/**
 * Whether a Configuration belongs to a server: the engine recorded the server among the dependencies of its
 * `serverName` (known in preview), or the names are equal. UNKNOWN only when the name is unknown and no dependency
 * was recorded.
 */
function belongsTo(configuration: StackResource, server: StackResource): boolean | Unknown {
  const dependencies = configuration.propertyDependencyUrns.serverName;
  if (dependencies?.includes(server.urn) || configuration.parentUrn === server.urn) return true;
  const name = configuration.props.serverName;
  const serverName = server.props.serverName ?? server.props.name;
  if (isUnknown(name) || isUnknown(serverName)) return dependencies === undefined ? UNKNOWN : false;
  const given = asString(name);
  return given !== undefined && given.toLowerCase() === asString(serverName)?.toLowerCase();
}

export const postgresServerParameters = defineStackPolicy<ServerParametersConfig>({
  name: 'azure-postgres-secure-parameters',
  description:
    'Postgres server parameters keep TLS required (require_secure_transport on, TLS ≥ 1.2) and connection logging on; each server declares every one of them (a parameter left undeclared is not proven safe).',
  severity: 'high',
  checklist: ['net-https', 'data-audit'],
  references: ['Azure security benchmark', 'Checkov CKV_AZURE_147', 'Checkov CKV_AZURE_146'],
  remediationSteps:
    "Declare a `dbforpostgresql.Configuration` per parameter for every server: require_secure_transport 'on', ssl_min_protocol_version 'TLSv1.2', log_connections 'on', log_disconnections 'on'.",
  config: {
    requiredParameters: stringListConfig(
      'Parameters every Postgres server must declare with a Configuration resource (their values are judged as well).',
      Object.keys(RULES),
    ),
  },
  subjects: isType(AZURE_TYPES.postgresServer, AZURE_TYPES.postgresConfiguration),
  validate: (resources, config, report) => {
    const configurations = resources.filter((resource) => resource.type === AZURE_TYPES.postgresConfiguration);
    for (const configuration of configurations) {
      const parameter = parameterOf(configuration);
      if (isUnknown(parameter)) continue;
      const rule = RULES[parameter];
      if (!rule || isUnknown(configuration.props.value)) continue;
      const value = asString(configuration.props.value);
      if (value !== undefined && !rule.isSafe(value)) report(rule.message(value), configuration.urn);
    }
    for (const server of resources.filter((resource) => resource.type === AZURE_TYPES.postgresServer)) {
      const declared = new Set<string>();
      let undecided = false;
      for (const configuration of configurations) {
        const related = belongsTo(configuration, server);
        const parameter = parameterOf(configuration);
        if (related === false) continue;
        if (isUnknown(related) || isUnknown(parameter)) undecided = true;
        else declared.add(parameter);
      }
      const missing = config.requiredParameters.filter((parameter) => !declared.has(parameter.toLowerCase()));
      if (missing.length === 0) continue;
      report(
        undecided
          ? `cannot tell in preview whether ${missing.join(', ')} are declared for this server (their Configuration resources name it by an unknown value); the check runs again at update.`
          : `${missing.join(', ')} not declared: the server would run with the platform default; declare a Configuration for each.`,
        server.urn,
      );
    }
  },
});
