import { inject } from 'vitest';
import type { ProgramRun } from '../harness';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the shared program-run store (store.ts). */
    programRunStore: string;
  }
}

/**
 * The base run of a stack from the store of this test run (store.ts), or undefined when no store is running
 * (a vitest config without that globalSetup, such as policy:check's): the caller then evaluates the program itself.
 */
export async function sharedProgramRun(stack: string, preview: boolean): Promise<ProgramRun | undefined> {
  const store = inject('programRunStore');
  if (!store) return undefined;
  const response = await fetch(`${store}/runs/${encodeURIComponent(stack)}${preview ? '?preview=true' : ''}`);
  const body = await response.text();
  if (!response.ok) throw new Error(body);
  return JSON.parse(body) as ProgramRun;
}
