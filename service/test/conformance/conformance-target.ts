/**
 * The server the conformance test drives. Swap the body for the real app (built by `buildApp` with the
 * fixtures mounted through `registerExtras` and the fixed test identity) once it exists: one line.
 */
import { type RunningTarget, startMinimalConformanceTarget } from './minimal-target.js';

export type { RunningTarget };

export function startConformanceTarget(): Promise<RunningTarget> {
  return startMinimalConformanceTarget();
}
