/**
 * The "MCP Server Security Checklist" of the guide the project grew from (shared/seed), item by item, plus the
 * platform controls the issue adds beyond it. Each item says how it is proven: by policies of this pack (the
 * policies name the items they enforce), by named tests of the running service, or by the organisation.
 */

export const CHECKLIST_SECTIONS = [
  'Authentication & Authorization',
  'Network Security',
  'Data Protection',
  'Infrastructure Security',
  'Monitoring & Alerting',
  'Compliance & Governance',
] as const;
export type ChecklistSection = (typeof CHECKLIST_SECTIONS)[number];

/**
 * How an item is proven.
 * - policy: at least one policy of the pack names the item.
 * - service-test: only the running service can show it; named tests of the service prove it (and policies may add).
 * - organizational: a process, not a configuration; the project provides what it can (template, tags, CI).
 */
export type ChecklistProof = 'policy' | 'service-test' | 'organizational';

/** A test of the service that proves an item: its file and a substring of a test title inside it. */
export interface ServiceTestReference {
  file: string;
  title: string;
}

export interface ChecklistItem {
  id: string;
  section: ChecklistSection;
  text: string;
  proof: ChecklistProof;
  serviceTests?: readonly ServiceTestReference[];
  /** For organizational items (and items partly proven otherwise): what the project provides. */
  provided?: string;
}

export const CHECKLIST_ITEMS = [
  // Authentication & Authorization
  {
    id: 'auth-oauth21',
    section: 'Authentication & Authorization',
    text: 'OAuth 2.1 flow properly implemented',
    proof: 'service-test',
  },
  {
    id: 'auth-jwt-claims',
    section: 'Authentication & Authorization',
    text: 'JWT validation includes all required claims',
    proof: 'service-test',
  },
  {
    id: 'auth-token-expiry',
    section: 'Authentication & Authorization',
    text: 'Token expiration properly enforced',
    proof: 'service-test',
  },
  {
    id: 'auth-resource-binding',
    section: 'Authentication & Authorization',
    text: 'Resource binding (RFC 8707) implemented',
    proof: 'service-test',
  },
  {
    id: 'auth-tenant-isolation',
    section: 'Authentication & Authorization',
    text: 'Multi-tenant isolation verified',
    proof: 'service-test',
  },
  {
    id: 'auth-rbac',
    section: 'Authentication & Authorization',
    text: 'Role-based access control configured',
    proof: 'policy',
  },
  {
    id: 'auth-dcr',
    section: 'Authentication & Authorization',
    text: 'Dynamic client registration secured',
    proof: 'policy',
    provided:
      'The MCP server is a resource server and exposes no registration endpoint. Its authorization server for MCP ' +
      'clients identifies them by Client ID Metadata Documents (fetched over https from public addresses only) and ' +
      'pre-registered clients; RFC 7591 dynamic registration is off, and a policy keeps it off in production.',
  },
  // Network Security
  {
    id: 'net-https',
    section: 'Network Security',
    text: 'HTTPS enforced with valid TLS certificate',
    proof: 'policy',
  },
  {
    id: 'net-security-headers',
    section: 'Network Security',
    text: 'Security headers properly configured',
    proof: 'service-test',
  },
  {
    id: 'net-cors',
    section: 'Network Security',
    text: 'CORS policy restrictive and appropriate',
    proof: 'service-test',
  },
  { id: 'net-rate-limit', section: 'Network Security', text: 'Rate limiting configured', proof: 'policy' },
  { id: 'net-gateway', section: 'Network Security', text: 'API gateway deployed and configured', proof: 'policy' },
  {
    id: 'net-private',
    section: 'Network Security',
    text: 'Private networking for internal services',
    proof: 'policy',
  },
  // Data Protection
  {
    id: 'data-tenant-queries',
    section: 'Data Protection',
    text: 'All database queries scoped by tenant',
    proof: 'service-test',
  },
  { id: 'data-encryption-rest', section: 'Data Protection', text: 'Sensitive data encrypted at rest', proof: 'policy' },
  {
    id: 'data-audit',
    section: 'Data Protection',
    text: 'Audit logging for all data access',
    proof: 'policy',
  },
  { id: 'data-retention', section: 'Data Protection', text: 'Data retention policies implemented', proof: 'policy' },
  {
    id: 'data-backup-encryption',
    section: 'Data Protection',
    text: 'Backup encryption configured',
    proof: 'policy',
    provided:
      'Azure encrypts Postgres Flexible Server backups and Key Vault with platform-managed keys, always on; the ' +
      'policies enforce that backups exist with retention and geo-redundancy in prod.',
  },
  // Infrastructure Security
  {
    id: 'infra-image-scanning',
    section: 'Infrastructure Security',
    text: 'Container images scanned for vulnerabilities',
    proof: 'policy',
    provided:
      'Defender for Containers scans the registry and running images; images come only from allowed registries.',
  },
  { id: 'infra-k8s-rbac', section: 'Infrastructure Security', text: 'Kubernetes RBAC configured', proof: 'policy' },
  {
    id: 'infra-network-policies',
    section: 'Infrastructure Security',
    text: 'Network policies implemented',
    proof: 'policy',
  },
  {
    id: 'infra-pod-security',
    section: 'Infrastructure Security',
    text: 'Pod security standards enforced',
    proof: 'policy',
  },
  {
    id: 'infra-secrets-store',
    section: 'Infrastructure Security',
    text: 'Secrets managed via secure store',
    proof: 'policy',
  },
  {
    id: 'infra-security-updates',
    section: 'Infrastructure Security',
    text: 'Regular security updates scheduled',
    proof: 'policy',
  },
  // Monitoring & Alerting
  {
    id: 'mon-structured-logging',
    section: 'Monitoring & Alerting',
    text: 'Structured logging implemented',
    proof: 'service-test',
    provided: 'JSON logs with correlation ids and redaction of credentials (service/src/http/logger-options.ts).',
  },
  {
    id: 'mon-tracing',
    section: 'Monitoring & Alerting',
    text: 'Distributed tracing configured',
    proof: 'policy',
  },
  {
    id: 'mon-security-events',
    section: 'Monitoring & Alerting',
    text: 'Security event monitoring active',
    proof: 'policy',
  },
  { id: 'mon-metrics', section: 'Monitoring & Alerting', text: 'Performance metrics collected', proof: 'policy' },
  { id: 'mon-alerts', section: 'Monitoring & Alerting', text: 'Alert thresholds configured', proof: 'policy' },
  {
    id: 'mon-incident-procedures',
    section: 'Monitoring & Alerting',
    text: 'Incident response procedures documented',
    proof: 'organizational',
    provided: 'An incident response template in this document (below); owner tag on every Azure resource.',
  },
  // Compliance & Governance
  {
    id: 'gov-data-classification',
    section: 'Compliance & Governance',
    text: 'Data classification performed',
    proof: 'policy',
    provided: 'A data-classification tag on every Azure resource; documents carry a classification column.',
  },
  {
    id: 'gov-privacy-impact',
    section: 'Compliance & Governance',
    text: 'Privacy impact assessment completed',
    proof: 'organizational',
    provided: 'A privacy impact assessment template in this document (below).',
  },
  {
    id: 'gov-controls-documented',
    section: 'Compliance & Governance',
    text: 'Security controls documented',
    proof: 'organizational',
    provided:
      'This table, generated from the policy metadata; a test fails when an item has no enforcing policy or test.',
  },
  {
    id: 'gov-audits',
    section: 'Compliance & Governance',
    text: 'Regular security audits scheduled',
    proof: 'organizational',
    provided: 'The policy pack runs on every pull request (`pulumi preview --policy-pack policies`) and in `npm test`.',
  },
  {
    id: 'gov-incident-plan-tested',
    section: 'Compliance & Governance',
    text: 'Incident response plan tested',
    proof: 'organizational',
    provided: 'A tabletop exercise record in the incident response template (below).',
  },
] as const satisfies readonly ChecklistItem[];

export type ChecklistItemId = (typeof CHECKLIST_ITEMS)[number]['id'];
