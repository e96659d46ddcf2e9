import type { EnvironmentName } from '../../stacks';
import { type ProgramRun, runProgramUnderMocks } from './harness';

/** Runs the program once per profile, in sequence (the harness must not overlap runs). */
export async function runAllProfiles(): Promise<Record<EnvironmentName, ProgramRun>> {
  const dev = await runProgramUnderMocks({ stack: 'dev' });
  const staging = await runProgramUnderMocks({ stack: 'staging' });
  const prod = await runProgramUnderMocks({ stack: 'prod' });
  return { dev, staging, prod };
}
