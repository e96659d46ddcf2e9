import { beforeAll, describe, expect, it } from 'vitest';
import { type EnvironmentName, PROFILES } from '../../stacks';
import { MAX_ALERT_EMAILS, parseAlertEmails } from '../azure/alert-receivers';
import { CONTAINER_INSIGHTS_STREAMS } from '../azure/container-insights';
import { NSG_LOG_CATEGORIES } from '../azure/network-monitoring';
import { PLATFORM_METRIC_ALERTS } from '../azure/platform-alerts';
import {
  onlyResourceOfType,
  type ProgramRun,
  type RegisteredResource,
  resourcesOfType,
  runProgramUnderMocks,
  unwrapSecrets,
} from './harness';
import { runAllProfiles } from './program-runs';

const T = {
  workspace: 'azure-native:operationalinsights:Workspace',
  diagnostics: 'azure-native:monitor:DiagnosticSetting',
  dcr: 'azure-native:monitor:DataCollectionRule',
  dcra: 'azure-native:monitor:DataCollectionRuleAssociation',
  cluster: 'azure-native:containerservice:ManagedCluster',
  vnet: 'azure-native:network:VirtualNetwork',
  nsg: 'azure-native:network:NetworkSecurityGroup',
  flowLog: 'azure-native:network:FlowLog',
  storage: 'azure-native:storage:StorageAccount',
  actionGroup: 'azure-native:monitor:ActionGroup',
  metricAlert: 'azure-native:monitor:MetricAlert',
  activityLogAlert: 'azure-native:monitor:ActivityLogAlert',
} as const;

/** The ARM type behind each azure-native type a platform alert may scope (what `metricNamespace` must name). */
const ARM_TYPE_OF: Record<string, string> = {
  'azure-native:containerservice:ManagedCluster': 'Microsoft.ContainerService/managedClusters',
  'azure-native:dbforpostgresql:Server': 'Microsoft.DBforPostgreSQL/flexibleServers',
  'azure-native:redisenterprise:RedisEnterprise': 'Microsoft.Cache/redisEnterprise',
  'azure-native:keyvault:Vault': 'Microsoft.KeyVault/vaults',
};

// biome-ignore lint/suspicious/noExplicitAny: test access to deeply nested engine inputs
type Loose = any;
const inputs = (resource: RegisteredResource): Loose => unwrapSecrets(resource.inputs);
const byName = (run: ProgramRun, type: string, name: string): RegisteredResource => {
  const found = resourcesOfType(run, type).find((r) => r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found;
};
const auditWorkspace = (run: ProgramRun) => byName(run, T.workspace, 'monitoring-workspace');
/** Where Container Insights and traffic analytics write: the capped workspace when the profile has a cap. */
const telemetryWorkspace = (run: ProgramRun) =>
  resourcesOfType(run, T.workspace).find((w) => w.name === 'monitoring-telemetry-workspace') ?? auditWorkspace(run);

const environments: EnvironmentName[] = ['dev', 'staging', 'prod'];
let runs: Record<EnvironmentName, ProgramRun>;

beforeAll(async () => {
  runs = await runAllProfiles();
});

describe.each(environments)('monitoring of the %s stack', (env) => {
  it('never caps the workspace the audit logs go to; a profile cap applies only to the telemetry workspace', () => {
    const run = runs[env];
    const { dailyQuotaGb, retentionDays } = PROFILES[env].monitoring;
    const audit = auditWorkspace(run);
    expect(inputs(audit).workspaceCapping).toEqual({ dailyQuotaGb: -1 });
    const workspaces = resourcesOfType(run, T.workspace);
    expect(workspaces).toHaveLength(dailyQuotaGb > 0 ? 2 : 1);
    for (const workspace of workspaces) {
      expect(inputs(workspace).features.disableLocalAuth).toBe(true);
      expect(inputs(workspace).retentionInDays).toBe(retentionDays);
    }
    if (dailyQuotaGb > 0) {
      expect(inputs(telemetryWorkspace(run)).workspaceCapping).toEqual({ dailyQuotaGb });
    }
    // Every diagnostic setting (audit logs of AKS, Key Vault, Postgres, Redis, ACR, NSGs) lands in the uncapped one.
    const settings = resourcesOfType(run, T.diagnostics);
    expect(settings.length).toBeGreaterThan(5);
    for (const setting of settings) expect(inputs(setting).workspaceId, setting.name).toBe(audit.id);
    // Defender's pipeline workspace is the audit one too.
    const defender = inputs(onlyResourceOfType(run, T.cluster)).securityProfile.defender;
    if (PROFILES[env].aks.defender) expect(defender.logAnalyticsWorkspaceResourceId).toBe(audit.id);
    else expect(defender).toBeUndefined();
  });

  it('collects Container Insights through a data collection rule associated with the cluster (AAD auth)', () => {
    const run = runs[env];
    const cluster = onlyResourceOfType(run, T.cluster);
    const workspace = telemetryWorkspace(run);
    const rule = onlyResourceOfType(run, T.dcr);
    const dcr = inputs(rule);
    expect(dcr.kind).toBe('Linux');
    expect(dcr.location).toBe('westeurope');
    const [extension, ...others] = dcr.dataSources.extensions;
    expect(others).toEqual([]);
    expect(extension.extensionName).toBe('ContainerInsights');
    expect(extension.streams).toEqual(expect.arrayContaining(['Microsoft-ContainerLogV2', 'Microsoft-KubeEvents']));
    expect(extension.extensionSettings.dataCollectionSettings.enableContainerLogV2).toBe(true);
    const [destination] = dcr.destinations.logAnalytics;
    expect(destination.workspaceResourceId).toBe(workspace.id);
    // Every collected stream flows to the workspace; a stream without a flow would be collected and dropped.
    expect(dcr.dataFlows).toEqual([{ streams: CONTAINER_INSIGHTS_STREAMS, destinations: [destination.name] }]);
    expect(extension.streams).toEqual(CONTAINER_INSIGHTS_STREAMS);

    const association = inputs(onlyResourceOfType(run, T.dcra));
    expect(association.resourceUri).toBe(cluster.id);
    expect(association.dataCollectionRuleId).toBe(rule.id);
    // The add-on sends with its managed identity (the workspace refuses shared keys) to the rule's workspace.
    expect(inputs(cluster).addonProfiles.omsagent).toEqual({
      enabled: true,
      config: { logAnalyticsWorkspaceResourceID: workspace.id, useAADAuth: 'true' },
    });
  });

  it('logs the VNet flows to a locked-down storage account, with traffic analytics into the workspace', () => {
    const run = runs[env];
    const profile = PROFILES[env].monitoring;
    const storage = onlyResourceOfType(run, T.storage);
    const account = inputs(storage);
    expect(account).toMatchObject({
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: 'TLS1_2',
      allowBlobPublicAccess: false,
      allowCrossTenantReplication: false,
      defaultToOAuthAuthentication: true,
      networkRuleSet: { defaultAction: 'Deny', bypass: 'AzureServices' },
    });
    expect(account.accountName).toMatch(/^[a-z0-9]{3,24}$/);

    const flowLog = inputs(onlyResourceOfType(run, T.flowLog));
    expect(flowLog.targetResourceId).toBe(onlyResourceOfType(run, T.vnet).id);
    expect(flowLog.storageId).toBe(storage.id);
    expect(flowLog.enabled).toBe(true);
    // The region's automatically created Network Watcher owns the flow log.
    expect(flowLog.resourceGroupName).toBe('NetworkWatcherRG');
    expect(flowLog.networkWatcherName).toBe('NetworkWatcher_westeurope');
    expect(flowLog.location).toBe('westeurope');
    expect(flowLog.retentionPolicy).toEqual({ enabled: true, days: profile.flowLogRetentionDays });
    const workspace = telemetryWorkspace(run);
    expect(flowLog.flowAnalyticsConfiguration.networkWatcherFlowAnalyticsConfiguration).toEqual({
      enabled: true,
      workspaceResourceId: workspace.id,
      workspaceId: workspace.state.customerId,
      workspaceRegion: 'westeurope',
      trafficAnalyticsInterval: profile.trafficAnalyticsIntervalMinutes,
    });
  });

  it('sends the events and rule counters of every NSG to the audit workspace', () => {
    const run = runs[env];
    const nsgs = resourcesOfType(run, T.nsg);
    expect(nsgs.length).toBeGreaterThanOrEqual(3);
    const settings = resourcesOfType(run, T.diagnostics).map(inputs);
    for (const nsg of nsgs) {
      const setting = settings.find((s) => s.resourceUri === nsg.id);
      expect(setting, nsg.name).toBeDefined();
      expect(setting.logs.map((l: Loose) => l.category)).toEqual(NSG_LOG_CATEGORIES);
      expect(setting.workspaceId).toBe(auditWorkspace(run).id);
    }
  });

  it('alerts on node readiness, API server health, Postgres CPU and storage, Redis load and Key Vault availability', () => {
    const run = runs[env];
    const alerts = resourcesOfType(run, T.metricAlert).map(inputs);
    expect(alerts.map((a) => a.criteria.allOf[0].metricName).sort()).toEqual(
      ['Availability', 'cpu_percent', 'kube_node_status_condition', 'serverLoad', 'storage_percent'].sort(),
    );
    for (const alert of alerts) {
      expect(alert.enabled).toBe(true);
      expect(alert.location).toBe('global');
      expect(alert.criteria.odataType).toBe('Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria');
      // The metric namespace is the ARM type of the resource the alert watches.
      const [scope] = alert.scopes;
      const target = run.resources.find((r) => r.id === scope);
      expect(target, alert.ruleName).toBeDefined();
      expect(alert.criteria.allOf[0].metricNamespace, alert.ruleName).toBe(ARM_TYPE_OF[String(target?.type)]);
      // Redis publishes 5-minute grains: shorter windows are refused by ARM.
      expect(['PT5M', 'PT15M', 'PT30M', 'PT1H']).toContain(alert.windowSize);
    }
    const health = inputs(onlyResourceOfType(run, T.activityLogAlert));
    expect(health.scopes).toEqual([onlyResourceOfType(run, T.cluster).id]);
    expect(health.condition.allOf[0]).toEqual({ field: 'category', equals: 'ResourceHealth' });
    // No recipients configured: the alerts exist, no empty action group pretends to notify anyone.
    expect(resourcesOfType(run, T.actionGroup)).toEqual([]);
    for (const alert of alerts) expect(alert.actions).toEqual([]);
  });
});

describe('alert recipients', () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgramUnderMocks({
      stack: 'prod',
      config: { alertEmails: JSON.stringify(['oncall@example.com', 'platform@example.com']) },
    });
  });

  it('mails every configured address through one action group that every alert uses', () => {
    const group = onlyResourceOfType(run, T.actionGroup);
    const args = inputs(group);
    expect(args.enabled).toBe(true);
    expect(args.groupShortName.length).toBeLessThanOrEqual(12);
    expect(args.emailReceivers.map((r: Loose) => r.emailAddress)).toEqual([
      'oncall@example.com',
      'platform@example.com',
    ]);
    const metricAlerts = resourcesOfType(run, T.metricAlert).map(inputs);
    expect(metricAlerts).toHaveLength(PLATFORM_METRIC_ALERTS.length);
    for (const alert of metricAlerts) expect(alert.actions).toEqual([{ actionGroupId: group.id }]);
    expect(inputs(onlyResourceOfType(run, T.activityLogAlert)).actions).toEqual({
      actionGroups: [{ actionGroupId: group.id }],
    });
  });

  it('validates the addresses, listing every problem', () => {
    const problems: string[] = [];
    expect(parseAlertEmails(['ops@example.com'], problems)).toEqual(['ops@example.com']);
    expect(parseAlertEmails(undefined, problems)).toEqual([]);
    expect(problems).toEqual([]);
    parseAlertEmails(['not-an-address', 'a@example.com', 'A@example.com'], problems);
    expect(problems).toEqual([
      "alertEmails: 'not-an-address' is not an e-mail address",
      'alertEmails lists an address twice',
    ]);
    const more: string[] = [];
    parseAlertEmails('ops@example.com', more);
    parseAlertEmails(
      Array.from({ length: MAX_ALERT_EMAILS + 1 }, (_, i) => `ops${i}@example.com`),
      more,
    );
    expect(more).toEqual([
      expect.stringContaining('must be a list of e-mail addresses'),
      `alertEmails lists more than ${MAX_ALERT_EMAILS} addresses`,
    ]);
  });

  it('refuses a bad address in the stack configuration before creating anything', async () => {
    await expect(
      runProgramUnderMocks({ stack: 'dev', config: { alertEmails: JSON.stringify(['oncall']) } }),
    ).rejects.toThrow(/alertEmails: 'oncall' is not an e-mail address/);
  });
});
