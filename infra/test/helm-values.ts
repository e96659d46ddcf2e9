/**
 * Checks the values we pass to a Helm chart against the chart's own `values.yaml` at the pinned version, vendored
 * under `infra/kubernetes/charts/vendor/<chart>-<version>/` (there is no helm binary to render the chart).
 *
 *   findUnknownValuesKeys(vendorDir('ingress-0.24.0'), values, CHARTS.kong.subcharts, [
 *     'gateway.deployment.userDefinedVolumes # commented out in values.yaml; read by templates/_helpers.tpl',
 *   ]);
 *
 * Rules, for each key path (dot notation) in `values`:
 * - a key present in the chart's values.yaml is known; its children are checked in turn;
 * - when the default at a path is an empty map `{}`, a list or null (free-form: podAnnotations, nodeSelector,
 *   storageSpec ...), nothing below it is checked; a list we pass is never looked into;
 * - a key under a subchart alias (`gateway.env.database`, `grafana.sidecar.dashboards.label`) is known when the
 *   umbrella's values.yaml has it under the alias or the subchart's values.yaml has it (without the alias);
 * - `global.*` is known when any of the files (umbrella or subcharts) has it;
 * - an `alsoKnown` entry `'<path> # <why>'` makes that path and everything below it known. The reason is required:
 *   use it for keys the templates read that values.yaml only shows commented out, and name the template.
 * Values that are not plain objects (arrays, Pulumi Outputs, class instances) are leaves: nothing inside is checked.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

/** `'<dot.path> # <reason>'`: the reason (why the key is valid although values.yaml lacks it) is required. */
export type AlsoKnownEntry = `${string} # ${string}`;

/** The vendored charts, `infra/kubernetes/charts/vendor`. */
export const VENDOR_ROOT = join(__dirname, '..', 'kubernetes', 'charts', 'vendor');

/** The directory of one vendored chart, e.g. `vendorDir('kong-3.2.0')`. */
export function vendorDir(chartAndVersion: string): string {
  return join(VENDOR_ROOT, chartAndVersion);
}

type Lookup = 'unknown' | 'leaf' | 'map' | 'free';

const parsed = new Map<string, unknown>();

/** The parsed values.yaml of a vendored chart directory (cached; an empty file is `{}`). */
export function loadChartValues(dir: string): Record<string, unknown> {
  const file = join(dir, 'values.yaml');
  if (!parsed.has(file)) parsed.set(file, parse(readFileSync(file, 'utf8')) ?? {});
  const values = parsed.get(file);
  if (!isPlainObject(values)) throw new Error(`${file}: the top level is not a map`);
  return values;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isFreeForm(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    Array.isArray(value) ||
    (isPlainObject(value) && Object.keys(value).length === 0)
  );
}

/** What one values.yaml says about a path (given as segments, so keys such as `grafana.ini` stay whole). */
function lookupIn(root: unknown, segments: readonly string[]): Lookup {
  let node: unknown = root;
  for (const [index, segment] of segments.entries()) {
    if (!isPlainObject(node) || !Object.hasOwn(node, segment)) return 'unknown';
    node = node[segment];
    const last = index === segments.length - 1;
    if (isFreeForm(node)) return 'free';
    if (last) return isPlainObject(node) ? 'map' : 'leaf';
  }
  return 'map';
}

function combine(results: readonly Lookup[]): Lookup {
  for (const wanted of ['free', 'map', 'leaf'] as const) if (results.includes(wanted)) return wanted;
  return 'unknown';
}

function parseAlsoKnown(entries: readonly string[]): string[] {
  return entries.map((entry) => {
    const hash = entry.indexOf(' # ');
    const path = hash < 0 ? '' : entry.slice(0, hash).trim();
    const reason = hash < 0 ? '' : entry.slice(hash + 3).trim();
    if (!path || !reason || /\s/.test(path)) {
      throw new Error(`alsoKnown entry ${JSON.stringify(entry)} must read '<dot.path> # <why it is valid>'`);
    }
    return path;
  });
}

/**
 * Returns the key paths in `values` that the chart in `chartDir` (and its subcharts) does not define.
 * `subcharts` maps an alias (the top-level key in the umbrella's values) to a sibling vendored directory name,
 * e.g. `{ gateway: 'kong-3.2.0' }`.
 */
export function findUnknownValuesKeys(
  chartDir: string,
  values: object,
  subcharts: Readonly<Record<string, string>> = {},
  alsoKnown: readonly AlsoKnownEntry[] = [],
): string[] {
  const allowed = parseAlsoKnown(alsoKnown);
  const umbrella = loadChartValues(chartDir);
  const subValues = new Map(
    Object.entries(subcharts).map(([alias, dir]) => [alias, loadChartValues(join(dirname(chartDir), dir))] as const),
  );
  const everyFile = [umbrella, ...subValues.values()];

  const lookup = (segments: readonly string[]): Lookup => {
    const [head, ...rest] = segments;
    if (head === undefined) return 'map';
    if (head === 'global') return combine(everyFile.map((file) => lookupIn(file, segments)));
    const results = [lookupIn(umbrella, segments)];
    const sub = subValues.get(head);
    if (sub !== undefined) results.push(rest.length === 0 ? 'map' : lookupIn(sub, rest));
    return combine(results);
  };

  const unknown: string[] = [];
  const walk = (node: Record<string, unknown>, parents: readonly string[]): void => {
    for (const [key, value] of Object.entries(node)) {
      const segments = [...parents, key];
      const path = segments.join('.');
      if (allowed.some((entry) => path === entry || path.startsWith(`${entry}.`))) continue;
      const found = lookup(segments);
      if (found === 'unknown') unknown.push(path);
      else if (found !== 'free' && isPlainObject(value)) walk(value, segments);
    }
  };
  if (!isPlainObject(values)) throw new Error('values must be a plain object');
  walk(values, []);
  return unknown;
}
