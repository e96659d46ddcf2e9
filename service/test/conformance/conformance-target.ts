/** The server the conformance test drives: the real app with the fixtures mounted. */
import { startAppConformanceTarget } from './app-target.js';

export interface RunningTarget {
  /** The MCP endpoint, on 127.0.0.1. */
  url: string;
  close(): Promise<void>;
}

export function startConformanceTarget(): Promise<RunningTarget> {
  return startAppConformanceTarget();
}
