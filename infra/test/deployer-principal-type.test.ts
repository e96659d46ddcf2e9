/**
 * ARM checks a role assignment's principalType against the principal (`UnmatchedPrincipalType`), and Postgres does
 * the same for its Entra administrator: whatever names the deployer must use the configured type, never a constant.
 */
import { describe, expect, it } from 'vitest';
import { resourcesOfType, runProgramUnderMocks, unwrapSecrets } from './harness';
import { MOCK_DEPLOYER_OBJECT_ID } from './mock-cloud';

// biome-ignore lint/suspicious/noExplicitAny: test access to engine inputs
type Loose = any;

async function deployerGrants(deployerPrincipalType: string | undefined) {
  // dev keeps the deployer's standing cluster-admin grant and has no configured Postgres administrator.
  const run = await runProgramUnderMocks({ stack: 'dev', config: { deployerPrincipalType } });
  const inputsOf = (type: string) => resourcesOfType(run, type).map((r) => unwrapSecrets(r.inputs) as Loose);
  return {
    roleAssignments: inputsOf('azure-native:authorization:RoleAssignment').filter(
      (a) => a.principalId === MOCK_DEPLOYER_OBJECT_ID,
    ),
    postgresAdmins: inputsOf('azure-native:dbforpostgresql:AdministratorsMicrosoftEntra').filter(
      (a) => a.objectId === MOCK_DEPLOYER_OBJECT_ID,
    ),
  };
}

describe('the deploying principal', () => {
  it.each([
    [undefined, 'ServicePrincipal', 'servicePrincipal'],
    ['ServicePrincipal', 'ServicePrincipal', 'servicePrincipal'],
    ['User', 'User', 'user'],
  ])('deployerPrincipalType=%s: role assignments say %s, the Postgres Entra admin %s', async (configured, arm, pg) => {
    const { roleAssignments, postgresAdmins } = await deployerGrants(configured);
    expect(roleAssignments.length).toBeGreaterThan(0);
    for (const assignment of roleAssignments) expect(assignment.principalType).toBe(arm);
    expect(postgresAdmins.map((admin) => admin.principalType)).toEqual([pg]);
  });
});
