/**
 * Every policy of the pack, in one list: index.ts builds the PolicyPack from it; tests, the checklist table and
 * `npm run policy:check` import it (never index.ts, whose PolicyPack starts a gRPC server).
 */
import { acrAdminDisabled } from './azure/acr-admin-disabled';
import { acrProdPublicAccessDisabled } from './azure/acr-prod-public-access-disabled';
import { aksApiAccessRestricted } from './azure/aks-api-access-restricted';
import { aksAutoUpgrade } from './azure/aks-auto-upgrade';
import { aksAzureCni } from './azure/aks-azure-cni';
import { aksAzurePolicyAddon } from './azure/aks-azure-policy-addon';
import { aksDefender } from './azure/aks-defender';
import { aksEncryptionAtHost } from './azure/aks-encryption-at-host';
import { aksEntraAzureRbac } from './azure/aks-entra-azure-rbac';
import { aksImageCleaner } from './azure/aks-image-cleaner';
import { aksKeyVaultSecretsProvider } from './azure/aks-keyvault-secrets-provider';
import { aksLocalAccountsDisabled } from './azure/aks-local-accounts-disabled';
import { aksMonitoring } from './azure/aks-monitoring';
import { aksNetworkPolicy } from './azure/aks-network-policy';
import { aksNoLegacyAddons } from './azure/aks-no-legacy-addons';
import { aksNoNodePublicIp } from './azure/aks-no-node-public-ip';
import { aksPrivateClusterNoPublicFqdn } from './azure/aks-private-fqdn';
import { aksProdStandardTier } from './azure/aks-prod-standard-tier';
import { aksProdSystemPoolTainted } from './azure/aks-prod-system-pool-tainted';
import { aksRbacEnabled } from './azure/aks-rbac-enabled';
import { aksRunCommandDisabled } from './azure/aks-run-command-disabled';
import { aksWorkloadIdentity } from './azure/aks-workload-identity';
import { noPrivilegedRoleAssignment } from './azure/authorization-no-privileged-role-assignment';
import { exposureUndecided } from './azure/exposure-undecided';
import { keyVaultNetworkRestricted } from './azure/keyvault-network-restricted';
import { keyVaultRbacAuthorization } from './azure/keyvault-rbac-authorization';
import { keyVaultSoftDeletePurgeProtection } from './azure/keyvault-soft-delete-purge-protection';
import { logAnalyticsLocalAuthDisabled } from './azure/loganalytics-local-auth-disabled';
import { logAnalyticsRetention } from './azure/loganalytics-retention';
import { nsgNoOpenManagement } from './azure/network-nsg-no-open-management';
import { subnetNoDefaultOutbound } from './azure/network-subnet-no-default-outbound';
import { subnetNsg } from './azure/network-subnet-nsg';
import { postgresEntraAuth } from './azure/postgres-entra-auth';
import { postgresNoOpenFirewall } from './azure/postgres-no-open-firewall';
import { postgresPrivateAccess } from './azure/postgres-private-access';
import { postgresBackup } from './azure/postgres-prod-geo-backup';
import { postgresProdZoneHa } from './azure/postgres-prod-zone-ha';
import { postgresServerParameters } from './azure/postgres-server-parameters';
import { redisAccessKeysDisabled } from './azure/redis-access-keys-disabled';
import { redisNoPublicAccess } from './azure/redis-no-public-access';
import { redisTls } from './azure/redis-tls';
import { resourceAllowedLocations } from './azure/resource-allowed-locations';
import { resourceRequiredTags } from './azure/resource-required-tags';
import { apiStableVersions } from './kubernetes/api-stable-versions';
import { authorizationServerDynamicRegistrationOff } from './kubernetes/authorization-server-dynamic-registration-off';
import { authorizationServerIssuerOrigin } from './kubernetes/authorization-server-issuer-origin';
import { authorizationServerNoClientSecret } from './kubernetes/authorization-server-no-client-secret';
import { hpaMinReplicas } from './kubernetes/hpa-min-replicas';
import { ingressClassKong } from './kubernetes/ingress-class-kong';
import { ingressNoMetricsBackend } from './kubernetes/ingress-no-metrics-backend';
import { ingressTls } from './kubernetes/ingress-tls';
import { kongPluginRateLimiting } from './kubernetes/kongplugin-rate-limiting';
import { namespacePodSecurityRestricted } from './kubernetes/namespace-pod-security-restricted';
import { pdbAllowsDisruption } from './kubernetes/pdb-allows-disruption';
import { podDedicatedServiceAccount } from './kubernetes/pod-dedicated-service-account';
import { podDropAllCapabilities } from './kubernetes/pod-drop-all-capabilities';
import { podImageAllowedRegistry } from './kubernetes/pod-image-allowed-registry';
import { podImagePinned } from './kubernetes/pod-image-pinned';
import { podLivenessIndependent } from './kubernetes/pod-liveness-independent';
import { podNoHostNamespaces } from './kubernetes/pod-no-host-namespaces';
import { podNoHostPath } from './kubernetes/pod-no-host-path';
import { podNoHostPorts } from './kubernetes/pod-no-host-ports';
import { podNoPrivilegeEscalation } from './kubernetes/pod-no-privilege-escalation';
import { podNoPrivileged } from './kubernetes/pod-no-privileged';
import { podNoSecretEnv } from './kubernetes/pod-no-secret-env';
import { podNoServiceAccountToken } from './kubernetes/pod-no-service-account-token';
import { podProbes } from './kubernetes/pod-probes';
import { podReadOnlyRootFilesystem } from './kubernetes/pod-read-only-root-filesystem';
import { podResources } from './kubernetes/pod-resources';
import { podRunAsNonRoot } from './kubernetes/pod-run-as-non-root';
import { podSeccompRuntimeDefault } from './kubernetes/pod-seccomp-runtime-default';
import { rbacNoClusterAdminBinding } from './kubernetes/rbac-no-cluster-admin-binding';
import { rbacNoDangerousVerbs } from './kubernetes/rbac-no-dangerous-verbs';
import { rbacNoWildcards } from './kubernetes/rbac-no-wildcards';
import { secretProviderClassWorkloadIdentity } from './kubernetes/secretproviderclass-workload-identity';
import { serviceNoExternalIps } from './kubernetes/service-no-external-ips';
import { serviceNoPublicExposure } from './kubernetes/service-no-public-exposure';
import { serviceAccountNoAutomount } from './kubernetes/serviceaccount-no-automount';
import { workloadTopologySpread } from './kubernetes/workload-topology-spread';
import { workloadTracingConfigured } from './kubernetes/workload-tracing-configured';
import type { SecurityPolicy } from './lib/define';
import { acrDiagnostics } from './stack/acr-diagnostics';
import { aksAuditDiagnostics } from './stack/aks-audit-diagnostics';
import { authorizationServerSeparateIdentity } from './stack/authorization-server-separate-identity';
import { ingressRateLimitPlugin } from './stack/ingress-rate-limit-plugin';
import { keyVaultAuditDiagnostics } from './stack/keyvault-audit-diagnostics';
import { keyVaultPrivateEndpoint } from './stack/keyvault-private-endpoint';
import { networkPolicyDefaultDeny } from './stack/networkpolicy-default-deny';
import { networkPolicySelectsEveryPod } from './stack/networkpolicy-selects-every-pod';
import { postgresAuditDiagnostics } from './stack/postgres-audit-diagnostics';
import { redisDiagnostics } from './stack/redis-diagnostics';
import { redisPrivateEndpoint } from './stack/redis-private-endpoint';
import { relationsUndecided } from './stack/relations-undecided';
import { rolePrincipalSource } from './stack/role-principal-source';
import { serviceHasServiceMonitor } from './stack/service-has-servicemonitor';
import { serviceMonitorHasAlertRules } from './stack/servicemonitor-has-alert-rules';
import { workloadHasPdb } from './stack/workload-has-pdb';
import { workloadIdentityConsistent } from './stack/workload-identity-consistent';
import { workloadReplicas } from './stack/workload-replicas';

export const PACK_NAME = 'secure-mcp-security';

export const azurePolicies: readonly SecurityPolicy[] = [
  aksLocalAccountsDisabled,
  aksEntraAzureRbac,
  aksRbacEnabled,
  aksNetworkPolicy,
  aksAzureCni,
  aksApiAccessRestricted,
  aksRunCommandDisabled,
  aksWorkloadIdentity,
  aksKeyVaultSecretsProvider,
  aksAzurePolicyAddon,
  aksMonitoring,
  aksNoLegacyAddons,
  aksDefender,
  aksImageCleaner,
  aksNoNodePublicIp,
  aksEncryptionAtHost,
  aksAutoUpgrade,
  aksProdStandardTier,
  aksProdSystemPoolTainted,
  keyVaultRbacAuthorization,
  keyVaultSoftDeletePurgeProtection,
  keyVaultNetworkRestricted,
  redisTls,
  redisNoPublicAccess,
  redisAccessKeysDisabled,
  postgresPrivateAccess,
  postgresNoOpenFirewall,
  postgresBackup,
  postgresProdZoneHa,
  postgresEntraAuth,
  acrAdminDisabled,
  acrProdPublicAccessDisabled,
  resourceRequiredTags,
  nsgNoOpenManagement,
  exposureUndecided,
  noPrivilegedRoleAssignment,
  logAnalyticsRetention,
  logAnalyticsLocalAuthDisabled,
  subnetNsg,
  subnetNoDefaultOutbound,
  aksPrivateClusterNoPublicFqdn,
  resourceAllowedLocations,
];

export const kubernetesPolicies: readonly SecurityPolicy[] = [
  podRunAsNonRoot,
  podNoPrivileged,
  podNoPrivilegeEscalation,
  podDropAllCapabilities,
  podSeccompRuntimeDefault,
  podReadOnlyRootFilesystem,
  podNoHostNamespaces,
  podNoHostPorts,
  podNoHostPath,
  podResources,
  podProbes,
  podLivenessIndependent,
  podImagePinned,
  podImageAllowedRegistry,
  podNoServiceAccountToken,
  podDedicatedServiceAccount,
  podNoSecretEnv,
  workloadTopologySpread,
  workloadTracingConfigured,
  serviceNoPublicExposure,
  serviceNoExternalIps,
  ingressTls,
  ingressClassKong,
  ingressNoMetricsBackend,
  rbacNoWildcards,
  rbacNoClusterAdminBinding,
  rbacNoDangerousVerbs,
  namespacePodSecurityRestricted,
  apiStableVersions,
  serviceAccountNoAutomount,
  kongPluginRateLimiting,
  secretProviderClassWorkloadIdentity,
  hpaMinReplicas,
  pdbAllowsDisruption,
  authorizationServerNoClientSecret,
  authorizationServerDynamicRegistrationOff,
  authorizationServerIssuerOrigin,
];

export const stackPolicies: readonly SecurityPolicy[] = [
  // A stack policy (it needs every Configuration of a server to see one missing), kept beside the Postgres ones.
  postgresServerParameters,
  keyVaultPrivateEndpoint,
  redisPrivateEndpoint,
  aksAuditDiagnostics,
  keyVaultAuditDiagnostics,
  postgresAuditDiagnostics,
  redisDiagnostics,
  acrDiagnostics,
  networkPolicyDefaultDeny,
  networkPolicySelectsEveryPod,
  workloadHasPdb,
  workloadReplicas,
  serviceHasServiceMonitor,
  serviceMonitorHasAlertRules,
  ingressRateLimitPlugin,
  workloadIdentityConsistent,
  authorizationServerSeparateIdentity,
  relationsUndecided,
  rolePrincipalSource,
];

export const securityPolicies: readonly SecurityPolicy[] = [...azurePolicies, ...kubernetesPolicies, ...stackPolicies];
