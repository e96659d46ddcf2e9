import * as pulumi from '@pulumi/pulumi';
import {
  ENVIRONMENT_NAMES,
  type EnvironmentName,
  type EnvironmentProfile,
  isEnvironmentName,
  PROFILES,
} from '../stacks';
import { parseAlertEmails } from './azure/alert-receivers';
import { InfraConfigError } from './errors';
import { coversPublicInternet } from './ip-ranges';

/** How the MCP resource gets its tokens: an Entra app registration created here, or an external OIDC issuer. */
export type AuthorizationServerConfig =
  | { kind: 'entra' }
  | { kind: 'external'; issuerUrl: string; audience: string; jwksUrl?: string };

/** The Entra principal that administers Postgres (an admin group is the sane choice). */
export interface PostgresEntraAdminConfig {
  objectId: string;
  principalName: string;
  principalType: 'user' | 'group' | 'servicePrincipal';
}

/**
 * What kind of Entra principal runs `pulumi up`: ARM role assignments and the default Postgres Entra administrator
 * must name it, or Azure answers `UnmatchedPrincipalType`. `getClientConfig` gives only ids, so it is configured.
 */
export const DEPLOYER_PRINCIPAL_TYPES = ['ServicePrincipal', 'User'] as const;
export type DeployerPrincipalType = (typeof DEPLOYER_PRINCIPAL_TYPES)[number];

/** Everything the program needs from `Pulumi.<stack>.yaml`, validated once. */
export interface DeploymentConfig {
  stack: string;
  project: string;
  environment: EnvironmentName;
  profile: EnvironmentProfile;
  location: string;
  /** Public host name of the MCP endpoint (the gateway's DNS name), e.g. `mcp.dev.example.com`. */
  publicHostname: string;
  /** `https://<publicHostname>/mcp`: the protected resource identifier and token audience. */
  resourceUrl: string;
  authorizationServer: AuthorizationServerConfig;
  /** CIDRs of deployers and operators: the public AKS API (when not private) and, in dev, Key Vault. */
  allowedIpRanges: string[];
  /** Entra groups granted Azure Kubernetes Service RBAC Cluster Admin. */
  clusterAdminGroupObjectIds: string[];
  /** `ServicePrincipal` (CI's federated identity, the default) or `User` (after `az login` as a person). */
  deployerPrincipalType: DeployerPrincipalType;
  /** Undefined: the deploying principal becomes the Postgres Entra admin. */
  postgresEntraAdmin?: PostgresEntraAdminConfig;
  /** The cluster's Kubernetes version: config `kubernetesVersion`, else the profile's pinned minor. */
  kubernetesVersion: string;
  /** Whether the deploying principal gets a standing cluster-admin grant (config, else the profile's default). */
  deployerClusterAdmin: boolean;
  /**
   * The Kubernetes layer (infra/kubernetes): on by default. Off for the first run of a stack whose API server only a
   * runner inside the VNet can reach (prod): phase 1 builds the platform (and the runner subnet), phase 2 runs there.
   */
  kubernetesLayer: boolean;
  /** Browser origins (https) allowed to call the MCP endpoint: CORS at the gateway and Origin checks in the service. */
  allowedOrigins: string[];
  /** Base URL of docs/runbooks.md as operators browse it; the alerts link to its sections. */
  runbookBaseUrl: string;
  /** The service image's digest in the stack's ACR (`sha256:<64 hex>`), pushed by CI; required with the layer. */
  serviceImageDigest?: string;
  /** The ACME directory cert-manager orders the gateway's certificate from (Let's Encrypt by default). */
  acmeServer: string;
  /** Contact address of the ACME account (optional: the CA mails about account issues, not expiry). */
  acmeEmail?: string;
  /** Recipients of the platform's Azure Monitor alerts (the action group's e-mail receivers); may be empty. */
  alertEmails: string[];
  /**
   * Hosts of the Client ID Metadata Documents the authorization server may fetch where Azure Firewall filters egress
   * (prod): config `clientMetadataHosts`, else DEFAULT_CLIENT_METADATA_HOSTS. Without a firewall any public host is.
   */
  clientMetadataHosts: string[];
  tags: {
    owner: string;
    costCenter: string;
    dataClassification: string;
  };
}

/** Raw values as read from config, before validation; separated so validation is a pure, testable function. */
export interface RawDeploymentConfig {
  stack: string;
  project: string;
  environment?: string;
  location?: string;
  publicHostname?: string;
  authorizationServer?: string;
  oauthIssuerUrl?: string;
  oauthAudience?: string;
  oauthJwksUrl?: string;
  allowedIpRanges?: unknown;
  clusterAdminGroupObjectIds?: unknown;
  deployerPrincipalType?: string;
  postgresEntraAdmin?: unknown;
  kubernetesVersion?: string;
  deployerClusterAdmin?: unknown;
  kubernetesLayer?: unknown;
  serviceImageDigest?: string;
  allowedOrigins?: unknown;
  runbookBaseUrl?: string;
  acmeServer?: string;
  acmeEmail?: string;
  alertEmails?: unknown;
  clientMetadataHosts?: unknown;
  owner?: string;
  costCenter?: string;
  dataClassification?: string;
}

/**
 * Hosts that serve the Client ID Metadata Documents of well-known hosted MCP clients, as examples to verify against
 * each client's documentation before relying on them: the client id URL's host is what the authorization server
 * fetches. A firewall allows names, not "any host for one pod", so a client whose document lives elsewhere cannot
 * sign in through a firewalled stack until its host is added (docs/deploy.md, "Adding an MCP client's host").
 */
export const DEFAULT_CLIENT_METADATA_HOSTS = ['claude.ai', 'chatgpt.com', 'vscode.dev'] as const;

const DATA_CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(\/(\d|[12]\d|3[0-2]))?$/;
/** Without a configured URL the alerts name the file in this repository, which is where the sections are. */
export const DEFAULT_RUNBOOK_BASE_URL = 'docs/runbooks.md';
/** Let's Encrypt's production directory: certificates every MCP client trusts. Its staging one is for trials only. */
export const DEFAULT_ACME_SERVER = 'https://acme-v02.api.letsencrypt.org/directory';
// One @, no spaces, a dot in the domain: what an ACME CA accepts as a mailto contact, checked before a deploy.
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const IMAGE_DIGEST = /^sha256:[0-9a-f]{64}$/;
const KUBERNETES_VERSION = /^\d+\.\d+(\.\d+)?$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function isCidr(value: string): boolean {
  const match = CIDR.exec(value);
  return match?.slice(1, 5).every((octet) => Number(octet) <= 255) ?? false;
}

function stringList(name: string, value: unknown, problems: string[]): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    problems.push(`${name} must be a list of strings (pulumi config set --path '${name}[0]' <value>)`);
    return [];
  }
  return value;
}

function httpsUrl(name: string, value: string | undefined, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:') problems.push(`${name} must be an https URL, got ${value}`);
    return value;
  } catch {
    problems.push(`${name} is not a URL: ${value}`);
    return undefined;
  }
}

/** Validates raw config into a DeploymentConfig, or throws an InfraConfigError listing every problem. */
export function validateDeploymentConfig(raw: RawDeploymentConfig): DeploymentConfig {
  const problems: string[] = [];

  const environment = raw.environment ?? raw.stack;
  if (!isEnvironmentName(environment)) {
    problems.push(
      `environment must be one of ${ENVIRONMENT_NAMES.join(', ')} (set it with 'pulumi config set environment dev'; ` +
        `it defaults to the stack name, '${raw.stack}')`,
    );
  }

  if (!raw.location) problems.push("location is required (e.g. 'pulumi config set location westeurope')");

  const publicHostname = raw.publicHostname?.toLowerCase();
  if (!publicHostname) problems.push("publicHostname is required (e.g. 'mcp.dev.example.com')");
  else if (!HOSTNAME.test(publicHostname)) problems.push(`publicHostname is not a DNS name: ${raw.publicHostname}`);

  let authorizationServer: AuthorizationServerConfig = { kind: 'entra' };
  const kind = raw.authorizationServer ?? 'entra';
  if (kind === 'external') {
    const issuerUrl = httpsUrl('oauthIssuerUrl', raw.oauthIssuerUrl, problems);
    const jwksUrl = httpsUrl('oauthJwksUrl', raw.oauthJwksUrl, problems);
    if (!raw.oauthIssuerUrl) problems.push('oauthIssuerUrl is required when authorizationServer is external');
    if (issuerUrl) {
      authorizationServer = {
        kind: 'external',
        issuerUrl,
        // The MCP spec binds tokens to the resource URL (RFC 8707); an issuer that cannot may set its own audience.
        audience: raw.oauthAudience ?? `https://${publicHostname}/mcp`,
        ...(jwksUrl ? { jwksUrl } : {}),
      };
    }
  } else if (kind !== 'entra') {
    problems.push(`authorizationServer must be 'entra' or 'external', got '${kind}'`);
  }

  const allowedIpRanges = stringList('allowedIpRanges', raw.allowedIpRanges, problems);
  for (const range of allowedIpRanges) {
    if (!isCidr(range)) problems.push(`allowedIpRanges: '${range}' is not an IPv4 address or CIDR`);
    if (range === '0.0.0.0/0') problems.push('allowedIpRanges must not contain 0.0.0.0/0 (that is no restriction)');
  }
  if (!allowedIpRanges.includes('0.0.0.0/0') && coversPublicInternet(allowedIpRanges)) {
    problems.push(
      `allowedIpRanges together cover the whole public Internet (${allowedIpRanges.join(', ')}): list your own egress ranges`,
    );
  }
  // AKS reads an empty authorizedIPRanges as "no restriction": a public API server needs at least one range.
  const publicApiServer = isEnvironmentName(environment) && !PROFILES[environment].aks.privateCluster;
  const noRanges =
    raw.allowedIpRanges === undefined || (Array.isArray(raw.allowedIpRanges) && !raw.allowedIpRanges.length);
  if (publicApiServer && noRanges && PROFILES[environment].aks.authorizedIpRanges.length === 0) {
    problems.push(
      `allowedIpRanges is required in ${environment}: its API server is public and an empty list lets the whole ` +
        "Internet reach it (pulumi config set --path 'allowedIpRanges[0]' <your egress CIDR>)",
    );
  }

  const deployerPrincipalType = raw.deployerPrincipalType ?? 'ServicePrincipal';
  if (!(DEPLOYER_PRINCIPAL_TYPES as readonly string[]).includes(deployerPrincipalType)) {
    problems.push(
      `deployerPrincipalType must be ${DEPLOYER_PRINCIPAL_TYPES.join(' or ')} (who runs pulumi up: CI's identity or ` +
        `a person after 'az login'), got '${deployerPrincipalType}'`,
    );
  }

  const clusterAdminGroupObjectIds = stringList('clusterAdminGroupObjectIds', raw.clusterAdminGroupObjectIds, problems);
  for (const id of clusterAdminGroupObjectIds) {
    if (!UUID.test(id)) problems.push(`clusterAdminGroupObjectIds: '${id}' is not an object id (GUID)`);
  }

  let postgresEntraAdmin: PostgresEntraAdminConfig | undefined;
  if (raw.postgresEntraAdmin !== undefined) {
    const admin = raw.postgresEntraAdmin as Partial<PostgresEntraAdminConfig> | null;
    const validType = ['user', 'group', 'servicePrincipal'].includes(String(admin?.principalType ?? 'group'));
    if (
      !admin ||
      typeof admin !== 'object' ||
      !UUID.test(String(admin.objectId)) ||
      !admin.principalName ||
      !validType
    ) {
      problems.push(
        'postgresEntraAdmin must be {objectId: GUID, principalName: string, principalType: user|group|servicePrincipal}',
      );
    } else {
      postgresEntraAdmin = {
        objectId: String(admin.objectId),
        principalName: String(admin.principalName),
        principalType: admin.principalType ?? 'group',
      };
    }
  }

  const kubernetesLayer = raw.kubernetesLayer ?? true;
  if (typeof kubernetesLayer !== 'boolean') problems.push('kubernetesLayer must be true or false');
  if (raw.kubernetesVersion !== undefined && !KUBERNETES_VERSION.test(raw.kubernetesVersion)) {
    problems.push(
      `kubernetesVersion must be 'major.minor' or 'major.minor.patch' (e.g. 1.35), got '${raw.kubernetesVersion}'`,
    );
  }
  const deployerClusterAdmin =
    raw.deployerClusterAdmin ??
    (isEnvironmentName(environment) ? PROFILES[environment].aks.deployerClusterAdmin : true);
  if (typeof deployerClusterAdmin !== 'boolean') problems.push('deployerClusterAdmin must be true or false');
  else if (!deployerClusterAdmin && kubernetesLayer === true && clusterAdminGroupObjectIds.length === 0) {
    problems.push(
      "without deployerClusterAdmin nobody could apply the Kubernetes layer: add the deploying identity's group to " +
        "clusterAdminGroupObjectIds, or 'pulumi config set deployerClusterAdmin true'",
    );
  }
  const serviceImageDigest = raw.serviceImageDigest;
  if (serviceImageDigest !== undefined && !IMAGE_DIGEST.test(serviceImageDigest)) {
    problems.push(
      `serviceImageDigest must be an image digest 'sha256:<64 lowercase hex>' (a tag is mutable), got '${serviceImageDigest}'`,
    );
  }
  if (kubernetesLayer === true && serviceImageDigest === undefined) {
    problems.push(
      "serviceImageDigest is required with the Kubernetes layer: the digest CI pushed to the stack's ACR " +
        "(pulumi config set serviceImageDigest sha256:...), or 'pulumi config set kubernetesLayer false' for the platform alone",
    );
  }

  const allowedOrigins = stringList('allowedOrigins', raw.allowedOrigins, problems);
  for (const origin of allowedOrigins) {
    const url = httpsUrl('allowedOrigins', origin, problems);
    if (url && new URL(url).origin !== origin) {
      problems.push(
        `allowedOrigins: '${origin}' is not an origin (scheme://host[:port], no path): '${new URL(url).origin}'?`,
      );
    }
  }
  const runbookBaseUrl = raw.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL;
  if (raw.runbookBaseUrl !== undefined) httpsUrl('runbookBaseUrl', raw.runbookBaseUrl, problems);
  const acmeServer = raw.acmeServer ?? DEFAULT_ACME_SERVER;
  if (raw.acmeServer !== undefined) httpsUrl('acmeServer', raw.acmeServer, problems);
  if (raw.acmeEmail !== undefined && !EMAIL.test(raw.acmeEmail)) {
    problems.push(`acmeEmail must be an e-mail address, got '${raw.acmeEmail}'`);
  }
  const alertEmails = parseAlertEmails(raw.alertEmails, problems);
  const clientMetadataHosts =
    raw.clientMetadataHosts === undefined
      ? [...DEFAULT_CLIENT_METADATA_HOSTS]
      : stringList('clientMetadataHosts', raw.clientMetadataHosts, problems).map((host) => host.toLowerCase());
  for (const host of clientMetadataHosts) {
    if (!HOSTNAME.test(host)) {
      problems.push(
        `clientMetadataHosts: '${host}' is not a DNS name (a host such as claude.ai: no scheme, path or wildcard)`,
      );
    }
  }

  const owner = raw.owner;
  const costCenter = raw.costCenter;
  const dataClassification = raw.dataClassification ?? 'confidential';
  if (!owner) problems.push("owner is required (the team tag on every resource, e.g. 'platform-team')");
  if (!costCenter) problems.push("costCenter is required (the billing tag on every resource, e.g. 'cc-1234')");
  if (!DATA_CLASSIFICATIONS.includes(dataClassification)) {
    problems.push(`dataClassification must be one of ${DATA_CLASSIFICATIONS.join(', ')}`);
  }

  if (environment === 'prod' && raw.postgresEntraAdmin === undefined) {
    // Without passwords, whoever holds the Entra admin role is the only way into the database: name it on purpose.
    problems.push('postgresEntraAdmin is required in prod (an Entra group of database administrators)');
  }

  if (
    problems.length > 0 ||
    !isEnvironmentName(environment) ||
    !raw.location ||
    !publicHostname ||
    !owner ||
    !costCenter
  ) {
    throw new InfraConfigError(problems);
  }

  const profile = PROFILES[environment];

  return {
    stack: raw.stack,
    project: raw.project,
    environment,
    profile,
    location: raw.location,
    publicHostname,
    resourceUrl: `https://${publicHostname}/mcp`,
    authorizationServer,
    allowedIpRanges,
    clusterAdminGroupObjectIds,
    deployerPrincipalType: deployerPrincipalType as DeployerPrincipalType,
    ...(postgresEntraAdmin ? { postgresEntraAdmin } : {}),
    kubernetesVersion: raw.kubernetesVersion ?? profile.aks.kubernetesVersion,
    deployerClusterAdmin: deployerClusterAdmin === true,
    kubernetesLayer: kubernetesLayer === true,
    allowedOrigins,
    runbookBaseUrl,
    ...(serviceImageDigest ? { serviceImageDigest } : {}),
    acmeServer,
    ...(raw.acmeEmail ? { acmeEmail: raw.acmeEmail } : {}),
    alertEmails,
    clientMetadataHosts: [...new Set(clientMetadataHosts)],
    tags: { owner, costCenter, dataClassification },
  };
}

/**
 * Whether the stack runs the authorization server for MCP clients (issue 13): with Entra ID, whose app registration
 * it signs users in with. An external issuer is the stack's authorization server itself.
 */
export function deploysAuthorizationServer(config: Pick<DeploymentConfig, 'authorizationServer'>): boolean {
  return config.authorizationServer.kind === 'entra';
}

/** The only place in the program that reads Pulumi config. */
export function loadDeploymentConfig(): DeploymentConfig {
  const config = new pulumi.Config();
  return validateDeploymentConfig({
    stack: pulumi.getStack(),
    project: pulumi.getProject(),
    environment: config.get('environment'),
    location: config.get('location'),
    publicHostname: config.get('publicHostname'),
    authorizationServer: config.get('authorizationServer'),
    oauthIssuerUrl: config.get('oauthIssuerUrl'),
    oauthAudience: config.get('oauthAudience'),
    oauthJwksUrl: config.get('oauthJwksUrl'),
    allowedIpRanges: config.getObject<unknown>('allowedIpRanges'),
    clusterAdminGroupObjectIds: config.getObject<unknown>('clusterAdminGroupObjectIds'),
    deployerPrincipalType: config.get('deployerPrincipalType'),
    postgresEntraAdmin: config.getObject<unknown>('postgresEntraAdmin'),
    kubernetesVersion: config.get('kubernetesVersion'),
    deployerClusterAdmin: config.getObject<unknown>('deployerClusterAdmin'),
    kubernetesLayer: config.getObject<unknown>('kubernetesLayer'),
    serviceImageDigest: config.get('serviceImageDigest'),
    allowedOrigins: config.getObject<unknown>('allowedOrigins'),
    runbookBaseUrl: config.get('runbookBaseUrl'),
    acmeServer: config.get('acmeServer'),
    acmeEmail: config.get('acmeEmail'),
    alertEmails: config.getObject<unknown>('alertEmails'),
    clientMetadataHosts: config.getObject<unknown>('clientMetadataHosts'),
    owner: config.get('owner'),
    costCenter: config.get('costCenter'),
    dataClassification: config.get('dataClassification'),
  });
}
