import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { asString, isUnknown } from '../lib/values';

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

export const postgresServerParameters = defineResourcePolicy({
  name: 'azure-postgres-secure-parameters',
  description:
    'Postgres server parameters keep TLS required (require_secure_transport on, TLS ≥ 1.2) and connection logging on.',
  severity: 'high',
  checklist: ['net-https', 'data-audit'],
  references: ['Azure security benchmark', 'Checkov CKV_AZURE_147', 'Checkov CKV_AZURE_146'],
  remediationSteps:
    "Declare `dbforpostgresql.Configuration` resources: require_secure_transport 'on', ssl_min_protocol_version 'TLSv1.2', log_connections 'on'.",
  appliesTo: isType(AZURE_TYPES.postgresConfiguration),
  validate: ({ name, props }, _config, report) => {
    const parameter = asString(props.configurationName) ?? name;
    const rule = RULES[parameter.toLowerCase()];
    if (!rule || isUnknown(props.value)) return;
    const value = asString(props.value);
    if (value !== undefined && !rule.isSafe(value)) report(rule.message(value));
  },
});
