import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The service package folder (the nearest one holding package.json), whether run from src/ with tsx or from dist/. */
function findServiceRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot locate the service package.json above src/dev');
    dir = parent;
  }
  return dir;
}

export const SERVICE_ROOT = findServiceRoot();
/** Git-ignored (`.data/` in the root .gitignore): local keys and state of development runs. */
export const DEV_DATA_DIR = join(SERVICE_ROOT, '.data');
/** The development issuer's signing key lives here, shared by the dev server and the token CLI. */
export const DEV_ISSUER_DATA_DIR = join(DEV_DATA_DIR, 'dev-issuer');
/** Written by the dev server at start: where its issuer and resource are, so minted tokens match them. */
export const DEV_SERVER_INFO_FILE = join(DEV_DATA_DIR, 'dev-server.json');

export interface DevServerInfo {
  issuer: string;
  resource: string;
}

/** The running dev server's issuer and resource, or undefined when it has not written them (or wrote nonsense). */
export function readDevServerInfo(file: string = DEV_SERVER_INFO_FILE): DevServerInfo | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { issuer, resource } = parsed as Record<string, unknown>;
  if (typeof issuer !== 'string' || typeof resource !== 'string') return undefined;
  if (!URL.canParse(issuer) || !URL.canParse(resource)) return undefined;
  return { issuer, resource };
}
