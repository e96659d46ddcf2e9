/**
 * What the authorization server policies share: which containers are the MCP clients' authorization server, and their
 * environment as a map (unknown values stay unknown, so a preview never reports on them).
 */
import { AUTHORIZATION_SERVER } from '../vendor/contract';
import { containersOf } from './kubernetes';
import { asArray, asRecord, asString, isUnknown, type PropertyBag, type Unknown } from './values';

export interface AuthorizationServerContainer {
  name: string;
  /** Literal env values by name; unknown when the engine does not know them yet. */
  env: Map<string, string | Unknown>;
}

const AS_ENV_NAMES = new Set<string>(Object.values(AUTHORIZATION_SERVER.env));

/**
 * The containers of a pod that run the authorization server: named so (config), or configured as one (any of
 * AUTHORIZATION_SERVER.env), so a renamed container does not slip past the rules.
 */
export function authorizationServerContainers(
  spec: PropertyBag,
  containerNames: readonly string[],
): AuthorizationServerContainer[] | Unknown {
  const found: AuthorizationServerContainer[] = [];
  for (const { container, name } of containersOf(spec)) {
    if (isUnknown(container.env)) {
      if (containerNames.includes(name)) return container.env;
      continue;
    }
    const env = new Map<string, string | Unknown>();
    for (const item of asArray(container.env) ?? []) {
      const variable = asRecord(item);
      const variableName = asString(variable?.name);
      if (!variable || variableName === undefined) continue;
      env.set(variableName, isUnknown(variable.value) ? variable.value : (asString(variable.value) ?? ''));
    }
    if (containerNames.includes(name) || [...env.keys()].some((key) => AS_ENV_NAMES.has(key))) {
      found.push({ name, env });
    }
  }
  return found;
}

/** Parses a JSON env value; undefined when it is not JSON (the server itself refuses to start then). */
export function parseJsonEnv(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
