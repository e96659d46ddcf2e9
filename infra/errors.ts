/** A configuration problem the deployer can fix with `pulumi config set`; lists every problem at once. */
export class InfraConfigError extends Error {
  readonly code = 'INFRA_CONFIG_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid stack configuration (${problems.length} problem(s)):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'InfraConfigError';
  }
}
