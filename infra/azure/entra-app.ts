import { Application } from '@pulumi/azuread/application';
import { ApplicationFederatedIdentityCredential } from '@pulumi/azuread/applicationFederatedIdentityCredential';
import { ApplicationIdentifierUri } from '@pulumi/azuread/applicationIdentifierUri';
import { ServicePrincipal } from '@pulumi/azuread/servicePrincipal';
import * as pulumi from '@pulumi/pulumi';
import { RandomUuid } from '@pulumi/random/randomUuid';
import { APP_ROLES, MCP_SCOPES } from '../../service/src/contract';
import { WORKLOAD_IDENTITY_AUDIENCE } from './workload-identity';

/**
 * The MCP clients' authorization server signs users in with this same registration: its app roles then arrive in
 * the ID token's `roles` claim (with `oid` and `tid`: scope `openid profile`), one set of role assignments serves
 * both Entra tokens and the server's own. It authenticates with its pod's service account token (no secret).
 */
export interface EntraSignInClient {
  /** `https://<public host>/oauth/callback`: the only web redirect URI of the registration. */
  redirectUri: string;
  /** The AKS OIDC issuer and `system:serviceaccount:<namespace>:<service account>` of the authorization server. */
  federation: { issuer: pulumi.Input<string>; subject: string };
}

export interface EntraAppArgs {
  displayName: string;
  tenantId: pulumi.Input<string>;
  /** Only assigned users, groups and apps may get tokens for the MCP resource. */
  appRoleAssignmentRequired: boolean;
  /** Owners of the registration (the deployer), so it is never orphaned. */
  ownerObjectIds: pulumi.Input<string>[];
  tags: string[];
  /** Set when the program deploys the authorization server for MCP clients. */
  signInClient?: EntraSignInClient;
}

const SCOPE_DESCRIPTIONS: Record<keyof typeof MCP_SCOPES, string> = {
  read: 'Call the MCP server\u2019s read-only tools and resources.',
  write: 'Call the MCP server\u2019s tools that change data.',
  admin: 'Call the MCP server\u2019s administrative tools.',
};

const ROLE_DESCRIPTIONS: Record<keyof typeof APP_ROLES, string> = {
  manager: 'Manages the data of their tenant through the MCP server.',
  admin: 'Administers the MCP server.',
};

/**
 * The MCP resource as an Entra app registration: the read/write/admin delegated scopes and the manager/admin
 * app roles from the contract, v2 access tokens, identifier URI `api://<client id>`, and its service principal.
 * Scope and role ids are random UUIDs kept in state, so they never change once created.
 */
export class EntraApp extends pulumi.ComponentResource {
  readonly clientId: pulumi.Output<string>;
  readonly identifierUri: pulumi.Output<string>;
  /** The v2 issuer of the tenant: what the service must accept as `iss`. */
  readonly issuerUrl: pulumi.Output<string>;
  readonly jwksUrl: pulumi.Output<string>;

  constructor(name: string, args: EntraAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:azure:EntraApp', name, {}, opts);
    const uuid = (key: string) => new RandomUuid(`${name}-${key}-id`, {}, { parent: this }).result;

    const application = new Application(
      `${name}-app`,
      {
        displayName: args.displayName,
        signInAudience: 'AzureADMyOrg',
        owners: args.ownerObjectIds,
        preventDuplicateNames: true,
        api: {
          requestedAccessTokenVersion: 2,
          oauth2PermissionScopes: (Object.keys(MCP_SCOPES) as (keyof typeof MCP_SCOPES)[]).map((key) => ({
            id: uuid(`scope-${key}`),
            value: MCP_SCOPES[key],
            type: key === 'read' ? 'User' : 'Admin',
            enabled: true,
            adminConsentDisplayName: `MCP ${key}`,
            adminConsentDescription: SCOPE_DESCRIPTIONS[key],
            userConsentDisplayName: `MCP ${key}`,
            userConsentDescription: SCOPE_DESCRIPTIONS[key],
          })),
        },
        appRoles: (Object.keys(APP_ROLES) as (keyof typeof APP_ROLES)[]).map((key) => ({
          id: uuid(`role-${key}`),
          value: APP_ROLES[key],
          displayName: `MCP ${key}`,
          description: ROLE_DESCRIPTIONS[key],
          allowedMemberTypes: ['User', 'Application'],
          enabled: true,
        })),
        // A web client without implicit grants: the authorization server uses the code flow with PKCE only.
        ...(args.signInClient
          ? {
              web: {
                redirectUris: [args.signInClient.redirectUri],
                implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false },
              },
            }
          : {}),
        tags: args.tags,
      },
      // The identifier URI is managed by its own resource (it needs the client id, known only after creation).
      { parent: this, ignoreChanges: ['identifierUris'] },
    );

    const identifierUri = new ApplicationIdentifierUri(
      `${name}-identifier-uri`,
      { applicationId: application.id, identifierUri: pulumi.interpolate`api://${application.clientId}` },
      { parent: this },
    );

    new ServicePrincipal(
      `${name}-sp`,
      {
        clientId: application.clientId,
        appRoleAssignmentRequired: args.appRoleAssignmentRequired,
        owners: args.ownerObjectIds,
        tags: args.tags,
      },
      { parent: this },
    );

    if (args.signInClient) {
      // Its client assertion is the pod's projected token: Entra trusts exactly that service account of this cluster.
      new ApplicationFederatedIdentityCredential(
        `${name}-sign-in-federation`,
        {
          applicationId: application.id,
          displayName: 'mcp-authorization-server',
          description: 'The MCP authorization server pods sign users in with their service account token.',
          audiences: [WORKLOAD_IDENTITY_AUDIENCE],
          issuer: args.signInClient.federation.issuer,
          subject: args.signInClient.federation.subject,
        },
        { parent: this },
      );
    }

    this.clientId = application.clientId;
    this.identifierUri = identifierUri.identifierUri;
    this.issuerUrl = pulumi.interpolate`https://login.microsoftonline.com/${args.tenantId}/v2.0`;
    this.jwksUrl = pulumi.interpolate`https://login.microsoftonline.com/${args.tenantId}/discovery/v2.0/keys`;
    this.registerOutputs({ clientId: this.clientId, issuerUrl: this.issuerUrl });
  }
}
