/**
 * The composition root of the Pulumi program: read config once, build the platform, export the stack outputs.
 * The Kubernetes layer (infra/kubernetes) deploys onto the platform through `platform` (PlatformOutputs).
 */
import * as pulumi from '@pulumi/pulumi';
import { loadDeploymentConfig } from './config';
import { createKubernetesLayer } from './kubernetes/layer';
import { createAzurePlatform } from './platform';

const config = loadDeploymentConfig();
const platform = createAzurePlatform(config);
// Off only for the first run of a private cluster's stack, from outside its network (see docs/deploy.md).
const workloads = config.kubernetesLayer ? createKubernetesLayer(config, platform) : undefined;

export const environment = platform.environment;
export const resourceGroupName = platform.resourceGroupName;
/** A kubelogin kubeconfig; secret because it names the private endpoint and CA of the cluster. */
export const kubeconfig = pulumi.secret(platform.kubeconfig);
export const clusterName = platform.cluster.name;
export const oidcIssuerUrl = platform.cluster.oidcIssuerUrl;
export const keyVaultUri = platform.keyVault.uri;
export const postgresHost = platform.postgres.host;
export const postgresDatabase = platform.postgres.databaseName;
export const redisHost = platform.redis.host;
export const redisPort = platform.redis.port;
export const acrLoginServer = platform.registry.loginServer;
export const workloadIdentityClientId = platform.workloadIdentity.clientId;
export const mcpResourceUrl = platform.authorization.resourceUrl;
export const oauthIssuerUrl = platform.authorization.issuerUrl;
export const oauthAudience = platform.authorization.audience;
export const serviceImage = workloads?.serviceImage;
export const kubernetesNamespaces = workloads?.namespaces;
export const mcpEndpoint = workloads ? platform.authorization.resourceUrl : undefined;
