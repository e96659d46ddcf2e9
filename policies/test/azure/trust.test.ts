/**
 * What the pack trusts. Production rules key on the stack name the engine writes into every URN, matched against the
 * pack's own config (`productionStacks`), never on the program's `environment` config alone; the required tags are
 * the ones infra/azure/tags.ts writes, on every taggable type the program creates; a Postgres server must declare each
 * secure parameter. Each rule is proven on the real program under mocks by weakening it once.
 */
import { describe, expect, it } from 'vitest';
import { REQUIRED_TAG_KEYS } from '../../../infra/azure/tags';
import { runProgramUnderMocks } from '../../../infra/test/harness';
import { postgresServerParameters } from '../../azure/postgres-server-parameters';
import { REQUIRED_TAGS, resourceRequiredTags } from '../../azure/resource-required-tags';
import {
  isProduction,
  isProductionStack,
  productionScopeConfig,
  stackNameOfUrn,
  TAGGABLE_AZURE_TYPES,
} from '../../lib/azure';
import { evaluatePolicies, makeUrn, type ResourceRecord } from '../../lib/evaluate';
import { toResourceRecords } from '../../lib/program-resources';
import { securityPolicies } from '../../registry';
import { AZURE_TYPES, postgresConfiguration, postgresServer, prodTags } from '../fixtures/azure-baseline';
import { violationsOf } from '../helpers/policy-harness';

const defaults = {
  productionStacks: productionScopeConfig.productionStacks.default,
  environmentTag: productionScopeConfig.environmentTag.default,
  productionEnvironments: productionScopeConfig.productionEnvironments.default,
};

function mandatoryPolicies(violations: Awaited<ReturnType<typeof evaluatePolicies>>): string[] {
  return [...new Set(violations.filter((v) => v.enforcementLevel === 'mandatory').map((v) => v.policyName))].sort();
}

describe('production is decided by the stack name the engine gives, not by the program', () => {
  it('reads the stack from the URN and matches the configured production stacks', () => {
    expect(stackNameOfUrn('urn:pulumi:prod::secure-mcp-azure::azure-native:keyvault:Vault::kv')).toBe('prod');
    expect(isProductionStack(makeUrn('t', 'n', 'prod'), defaults)).toBe(true);
    expect(isProductionStack(makeUrn('t', 'n', 'prod-eu'), defaults)).toBe(true);
    expect(isProductionStack(makeUrn('t', 'n', 'staging'), defaults)).toBe(false);
    expect(isProductionStack(makeUrn('t', 'n', 'prod'), { productionStacks: ['live'] })).toBe(false);
    expect(isProductionStack('not-a-urn', defaults)).toBe(false);
  });

  it('a dev tag does not make a prod-stack resource non-production; a prod tag still widens the scope', () => {
    const devTagged = { ...prodTags(), environment: 'dev' };
    expect(isProduction({ urn: makeUrn('t', 'n', 'prod'), props: { tags: devTagged } }, defaults)).toBe(true);
    expect(isProduction({ urn: makeUrn('t', 'n', 'dev'), props: { tags: devTagged } }, defaults)).toBe(false);
    expect(isProduction({ urn: makeUrn('t', 'n', 'dev'), props: { tags: prodTags() } }, defaults)).toBe(true);
  });

  it('`environment: dev` in the prod stack is caught (it passed with zero violations before)', async () => {
    const run = await runProgramUnderMocks({
      stack: 'prod',
      config: { environment: 'dev', postgresEntraAdmin: undefined },
    });
    const violations = await evaluatePolicies(securityPolicies, toResourceRecords(run.resources));
    const caught = mandatoryPolicies(violations);
    // The production rules apply by stack name: Free tier, no Defender, Postgres passwords, public ACR ...
    expect(caught).toEqual(
      expect.arrayContaining([
        'azure-aks-prod-standard-tier',
        'azure-aks-defender',
        'azure-postgres-entra-auth',
        'azure-acr-prod-public-access-disabled',
        'azure-resource-required-tags',
      ]),
    );
    expect(violations.map((v) => v.message)).toContainEqual(
      expect.stringMatching(/environment tag is 'dev' in the production stack 'prod'/),
    );
  });

  it('the pack config can name other production stacks (and the program cannot)', async () => {
    const run = await runProgramUnderMocks({ stack: 'staging', config: { environment: 'dev' } });
    const records = toResourceRecords(run.resources);
    expect(mandatoryPolicies(await evaluatePolicies(securityPolicies, records))).not.toContain(
      'azure-aks-prod-standard-tier',
    );
    const config = Object.fromEntries(securityPolicies.map((p) => [p.name, { productionStacks: ['staging'] }]));
    const strict = await evaluatePolicies(securityPolicies, records, { config });
    expect(mandatoryPolicies(strict)).toContain('azure-aks-prod-standard-tier');
  });
});

describe('azure-resource-required-tags covers what the program writes', () => {
  it('requires exactly the tags infra/azure/tags.ts writes', () => {
    expect([...REQUIRED_TAGS]).toEqual([...REQUIRED_TAG_KEYS]);
  });

  it.each(['dev', 'prod'])(
    'in %s: every type given tags is in the default list, and dropping any one tag is caught',
    async (stack) => {
      const run = await runProgramUnderMocks({ stack });
      const records = toResourceRecords(run.resources).filter((r) => r.type.startsWith('azure-native:'));
      const tagged = records.filter((r) => r.inputs.tags !== undefined);
      expect(tagged.length).toBeGreaterThan(15);
      expect([...new Set(tagged.map((r) => r.type))].filter((type) => !TAGGABLE_AZURE_TYPES.includes(type))).toEqual(
        [],
      );
      for (const record of tagged) {
        for (const key of REQUIRED_TAGS) {
          const tags = { ...(record.inputs.tags as Record<string, unknown>) };
          delete tags[key];
          const weakened: ResourceRecord = { ...record, inputs: { ...record.inputs, tags } };
          expect(await violationsOf(resourceRequiredTags, weakened), `${record.name} without ${key}`).toEqual([
            `Missing required tags: ${key}.`,
          ]);
        }
      }
    },
  );

  it('judges a located resource of a type outside the list (a type added later is not skipped)', async () => {
    const type = 'azure-native:web:WebApp';
    const weakened: ResourceRecord = {
      type,
      name: 'app',
      urn: makeUrn(type, 'app'),
      inputs: { location: 'westeurope' },
    };
    expect(await violationsOf(resourceRequiredTags, weakened)).toEqual([
      `Missing required tags: ${REQUIRED_TAGS.join(', ')}.`,
    ]);
  });
});

describe('azure-postgres-secure-parameters requires every parameter to be declared', () => {
  const server = (): ResourceRecord => ({
    type: AZURE_TYPES.postgresServer,
    name: 'psql',
    urn: makeUrn(AZURE_TYPES.postgresServer, 'psql'),
    inputs: postgresServer(),
  });
  const configuration = (parameter: string, value: string): ResourceRecord => ({
    type: AZURE_TYPES.postgresConfiguration,
    name: parameter,
    urn: makeUrn(AZURE_TYPES.postgresConfiguration, parameter),
    inputs: postgresConfiguration(parameter, value),
  });
  const all = () => [
    server(),
    configuration('require_secure_transport', 'on'),
    configuration('ssl_min_protocol_version', 'TLSv1.2'),
    configuration('log_connections', 'on'),
    configuration('log_disconnections', 'on'),
  ];

  it('passes a server with all four declared, fails one with a parameter left out', async () => {
    expect(await violationsOf(postgresServerParameters, all())).toEqual([]);
    const missing = all().filter((r) => r.name !== 'require_secure_transport');
    expect(await violationsOf(postgresServerParameters, missing)).toEqual([
      expect.stringMatching(/^require_secure_transport not declared/),
    ]);
  });

  it('does not count another server’s parameters', async () => {
    const other = all().map((r) =>
      r.type === AZURE_TYPES.postgresConfiguration ? { ...r, inputs: { ...r.inputs, serverName: 'psql-other' } } : r,
    );
    expect(await violationsOf(postgresServerParameters, other)).toEqual([
      expect.stringMatching(
        /^require_secure_transport, ssl_min_protocol_version, log_connections, log_disconnections not declared/,
      ),
    ]);
  });

  it.each([false, true])('the program (preview %s) with one Configuration removed is caught', async (preview) => {
    const run = await runProgramUnderMocks({ stack: 'prod', preview });
    const records = toResourceRecords(run.resources);
    expect(await violationsOf(postgresServerParameters, records)).toEqual([]);
    const weakened = records.filter(
      (r) => !(r.type === AZURE_TYPES.postgresConfiguration && r.inputs.configurationName === 'log_disconnections'),
    );
    expect(weakened.length).toBe(records.length - 1);
    expect(await violationsOf(postgresServerParameters, weakened)).toEqual([
      expect.stringMatching(/^log_disconnections not declared/),
    ]);
  });
});
