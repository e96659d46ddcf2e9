/**
 * Reading resource properties safely. During `pulumi preview` some inputs are not known yet; the engine marks them
 * with sentinel strings and wraps the props in a proxy that throws on access. Policies here never touch the proxy:
 * they read a plain copy in which every unknown value is the UNKNOWN symbol, and skip a check whose input is unknown
 * (the check runs again at `pulumi up`, when the value is known).
 */

export const UNKNOWN: unique symbol = Symbol('unknown during preview');
export type Unknown = typeof UNKNOWN;

/** A JSON-like property bag, as resource policies see it after resolution. */
export type PropertyBag = Record<string, unknown>;

/** The sentinels the Pulumi engine uses for values not known during preview (wire protocol constants). */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  '1c4a061d-8072-4f0a-a4cb-0ff528b18fe7', // boolean
  '3eeb2bf0-c639-47a8-9e75-3b44932eb421', // number
  '04da6b54-80e4-46f7-96ec-b56ff0331ba9', // string (also the SDK's generic unknown)
  '6a19a0b0-7e62-4c92-b797-7f8e31da9cc2', // array
  '030794c1-ac77-496b-92df-f27374a8bd58', // asset
  'e48ece36-62e2-4504-bad9-02848725956a', // archive
  'dd056dcd-154b-4c76-9bd3-c8f88648b5ff', // object
]);

const SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';
const PROXY_TARGET_KEY = '__getSpecialProxyTarget';

export function isUnknownSentinel(value: unknown): boolean {
  return typeof value === 'string' && UNKNOWN_SENTINELS.has(value);
}

export function isUnknown(value: unknown): value is Unknown {
  return value === UNKNOWN;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A plain copy of resource properties: the engine's unknown-checking proxy unwrapped, unknown sentinels replaced by
 * UNKNOWN, secrets in wire form unwrapped (the engine hands policies plaintext), undefined members dropped.
 */
export function resolveProperties(props: unknown): PropertyBag {
  const resolved = resolveValue(unwrapProxy(props));
  return isPlainObject(resolved) ? resolved : {};
}

function unwrapProxy(value: unknown): unknown {
  if (value !== null && typeof value === 'object') {
    const target = (value as Record<string, unknown>)[PROXY_TARGET_KEY];
    if (target !== undefined && target !== null && typeof target === 'object') return target;
  }
  return value;
}

function resolveValue(value: unknown): unknown {
  if (isUnknownSentinel(value)) return UNKNOWN;
  if (Array.isArray(value)) return value.map(resolveValue);
  if (isPlainObject(value)) {
    if (value[SIG_KEY] === SECRET_SIG) return resolveValue(value.value);
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      if (member !== undefined) out[key] = resolveValue(member);
    }
    return out;
  }
  return value;
}

/** The value at a path; UNKNOWN when any step of the path is unknown, undefined when any step is missing. */
export function at(value: unknown, ...path: ReadonlyArray<string | number>): unknown {
  let current: unknown = value;
  for (const step of path) {
    if (current === UNKNOWN) return UNKNOWN;
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return isPlainObject(value) ? value : undefined;
}

export function asArray(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Kubernetes and ARM accept some booleans as strings ("true"); both count. */
export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'True') return true;
  if (value === 'false' || value === 'False') return false;
  return undefined;
}

/** The string members of an array, with the array's unknown-ness preserved. */
export function stringList(value: unknown): string[] | Unknown | undefined {
  if (value === UNKNOWN) return UNKNOWN;
  const list = asArray(value);
  if (!list) return undefined;
  return list.filter((item): item is string => typeof item === 'string');
}

/** True when the value, or anything inside it, is unknown. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isPlainObject(value)) return Object.values(value).some(containsUnknown);
  return false;
}

/** Case-insensitive equality for ARM enum strings ("Disabled" vs "disabled"). */
export function sameText(value: unknown, expected: string): boolean {
  return typeof value === 'string' && value.toLowerCase() === expected.toLowerCase();
}
