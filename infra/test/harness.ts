/**
 * Runs the whole Pulumi program under Pulumi mocks and returns every registered resource and the stack outputs.
 * Reusable by any test (the policy pack's tests feed `resources` to the pack).
 *
 *   const run = await runProgramUnderMocks({ stack: 'prod', config: { owner: 'me' } });
 *   run.resources.filter((r) => r.type === 'azure-native:keyvault:Vault')[0].inputs.properties
 *
 * - `config` keys without a namespace get the project's (`secure-mcp-azure:`); they are merged over
 *   `baseTestConfig(stack)`, a valid configuration for that stack. Pass `undefined` as a value to drop a key.
 * - Secret values appear in wire form, `{ [SECRET_SIG_KEY]: SECRET_SIG_VALUE, value }`, in `inputs`, `state` and
 *   `outputs`, exactly as the engine would see them; `unwrapSecrets` gives plain values.
 * - Provider references are `urn::id`; `parent`, `dependencies` and `propertyDependencies` are URNs.
 * - Each call re-evaluates the program (vitest `vi.resetModules()`), so calls must not overlap: await each one.
 * - A call without `config` is served by the test run's shared store (shared-runs/store.ts), evaluated once for
 *   all files; each call still gets its own copy to change.
 */
import * as pulumi from '@pulumi/pulumi';
import { vi } from 'vitest';
import { MOCK_SECRET_MARKER, mockInvoke, mockResourceState } from './mock-cloud';
import { sharedProgramRun } from './shared-runs/client';

export const PROJECT_NAME = 'secure-mcp-azure';
/** The digest CI would have pushed (any well-formed sha256 digest). */
export const TEST_IMAGE_DIGEST = `sha256:${'4b7ad4f5'.repeat(8)}`;
export const SECRET_SIG_KEY = '4dabf18193072939515e22adb298388d';
export const SECRET_SIG_VALUE = '1b47061264138c4ac30d75fd1eb44270';
export { MOCK_SECRET_MARKER };

export interface RegisteredResourceOptions {
  protect: boolean;
  ignoreChanges: string[];
  deleteBeforeReplace: boolean;
  additionalSecretOutputs: string[];
  /** Custom timeouts as strings (`'30m'`), when set. */
  customTimeouts?: { create?: string; update?: string; delete?: string };
}

export interface RegisteredResource {
  /** Type token, e.g. `azure-native:keyvault:Vault`; component types are `secure-mcp:azure:*`. */
  type: string;
  name: string;
  urn: string;
  id: string;
  /** False for component resources. */
  custom: boolean;
  /** The inputs as the engine receives them (secrets in wire form). */
  inputs: Record<string, unknown>;
  /** Inputs plus the values the fake cloud computed (ids, URIs, client ids). */
  state: Record<string, unknown>;
  /** Provider reference `urn::id`, when an explicit provider was given. */
  provider?: string;
  parent?: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  options: RegisteredResourceOptions;
}

export interface RecordedInvoke {
  token: string;
  inputs: Record<string, unknown>;
}

export interface ProgramRun {
  stack: string;
  resources: RegisteredResource[];
  /** Stack outputs (the program's exports), secrets in wire form. */
  outputs: Record<string, unknown>;
  invokes: RecordedInvoke[];
  /** Wall time of one evaluation (import, registrations, output resolution). */
  durationMs: number;
}

export interface RunProgramOptions {
  stack: string;
  /** Overrides merged over `baseTestConfig(stack)`. Objects and lists are given as JSON strings. */
  config?: Record<string, string | undefined>;
  /** Preview (dry run): ids and computed outputs are unknown, as for resources about to be created. Default false. */
  preview?: boolean;
  /**
   * Without `config`, the run is the same for every test file: it comes from the run's shared store
   * (shared-runs/store.ts) when one is running. `false` evaluates the program here regardless. Default true.
   */
  shared?: boolean;
}

/** A valid configuration for any of the three stacks. */
export function baseTestConfig(stack: string): Record<string, string> {
  const config: Record<string, string> = {
    location: 'westeurope',
    publicHostname: `mcp.${stack}.example.com`,
    owner: 'platform-team',
    costCenter: 'cc-1234',
    dataClassification: 'confidential',
    allowedIpRanges: JSON.stringify(['203.0.113.10/32']),
    clusterAdminGroupObjectIds: JSON.stringify(['11111111-1111-4111-8111-111111111111']),
    serviceImageDigest: TEST_IMAGE_DIGEST,
  };
  if (stack === 'prod') {
    config.postgresEntraAdmin = JSON.stringify({
      objectId: '22222222-2222-4222-8222-222222222222',
      principalName: 'mcp-db-admins',
      principalType: 'group',
    });
  }
  return config;
}

type MonitorRequest = {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void };
  getProtect(): boolean;
  getIgnorechangesList(): string[];
  getDeletebeforereplace(): boolean;
  getAdditionalsecretoutputsList(): string[];
  getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
};
type MockMonitorLike = {
  registerResource(req: MonitorRequest, callback: unknown): unknown;
  newUrn(parent: string, type: string, name: string): string;
};
type RuntimeInternals = {
  getMonitor(): unknown;
  waitForRPCs(): Promise<void>;
  serializeProperties(label: string, props: Record<string, unknown>): Promise<Record<string, unknown>>;
};

const runtime = pulumi.runtime as unknown as RuntimeInternals;

function secretWire(value: unknown): Record<string, unknown> {
  return { [SECRET_SIG_KEY]: SECRET_SIG_VALUE, value };
}

export function isSecretWire(value: unknown): value is { value: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG_VALUE
  );
}

/** Replaces secret wire objects by their values, recursively. */
export function unwrapSecrets(value: unknown): unknown {
  if (isSecretWire(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

/** How the Pulumi runtime serializes an unknown value (sdk/nodejs/runtime/rpc.ts `unknownValue`). */
export const UNKNOWN_VALUE = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

/**
 * What a preview of a create reports as outputs: the inputs as given, and every property only the cloud computes
 * (ids, names, URIs, principal ids, nested read-only fields such as the OIDC issuer URL) unknown.
 */
function previewState(inputs: Record<string, unknown>, computed: Record<string, unknown>): Record<string, unknown> {
  const merge = (input: unknown, output: unknown): unknown => {
    if (input === undefined) return UNKNOWN_VALUE;
    if (Array.isArray(input) || typeof input !== 'object' || input === null || SECRET_SIG_KEY in input) return input;
    if (typeof output !== 'object' || output === null || Array.isArray(output) || SECRET_SIG_KEY in output) {
      return input;
    }
    const result: Record<string, unknown> = { ...(input as Record<string, unknown>) };
    for (const [key, value] of Object.entries(output as Record<string, unknown>)) {
      result[key] = merge((input as Record<string, unknown>)[key], value);
    }
    return result;
  };
  return merge(inputs, computed) as Record<string, unknown>;
}

function namespaced(config: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value !== undefined) result[key.includes(':') ? key : `${PROJECT_NAME}:${key}`] = value;
  }
  return result;
}

export async function runProgramUnderMocks(options: RunProgramOptions): Promise<ProgramRun> {
  if (options.config === undefined && options.shared !== false) {
    const shared = await sharedProgramRun(options.stack, options.preview ?? false);
    if (shared) return shared;
  }
  const started = performance.now();
  const resources: RegisteredResource[] = [];
  const invokes: RecordedInvoke[] = [];
  let currentRequest: MonitorRequest | undefined;
  let monitor: MockMonitorLike | undefined;
  const preview = options.preview ?? false;

  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const request = currentRequest;
        // In preview, as the engine does for a create, only the inputs are known: ids and computed outputs (names,
        // principal ids, host names) stay unknown, so the program and the pack meet real unknowns.
        const computed = mockResourceState(args.type, args.name, args.inputs);
        // The mocks drop unknown inputs; the engine (and CrossGuard) see them as the unknown marker: keep the wire form.
        const inputs = preview ? (request?.getObject()?.toJavaScript() ?? args.inputs) : args.inputs;
        const { id, state } = preview ? { id: '', state: previewState(inputs, computed.state) } : computed;
        const options: RegisteredResourceOptions = {
          protect: request?.getProtect() ?? false,
          ignoreChanges: request?.getIgnorechangesList() ?? [],
          deleteBeforeReplace: request?.getDeletebeforereplace() ?? false,
          additionalSecretOutputs: request?.getAdditionalsecretoutputsList() ?? [],
        };
        const timeouts = request?.getCustomtimeouts();
        if (timeouts) {
          options.customTimeouts = {
            ...(timeouts.getCreate() ? { create: timeouts.getCreate() } : {}),
            ...(timeouts.getUpdate() ? { update: timeouts.getUpdate() } : {}),
            ...(timeouts.getDelete() ? { delete: timeouts.getDelete() } : {}),
          };
        }
        // The engine marks these outputs secret; the mock monitor does not, so do it here.
        for (const key of options.additionalSecretOutputs) {
          if (key in state && !isSecretWire(state[key])) state[key] = secretWire(state[key]);
        }
        const propertyDependencies: Record<string, string[]> = {};
        request?.getPropertydependenciesMap().forEach((value, key) => {
          propertyDependencies[key] = value.getUrnsList();
        });
        const parent = request?.getParent() || undefined;
        resources.push({
          type: args.type,
          name: args.name,
          urn: monitor?.newUrn(parent ?? '', args.type, args.name) ?? '',
          id,
          custom: args.custom ?? true,
          inputs,
          state,
          ...(args.provider ? { provider: args.provider } : {}),
          ...(parent ? { parent } : {}),
          dependencies: request?.getDependenciesList() ?? [],
          propertyDependencies,
          options,
        });
        return { id, state };
      },
      call(args) {
        invokes.push({ token: args.token, inputs: args.inputs });
        return mockInvoke(args.token, args.inputs);
      },
    },
    PROJECT_NAME,
    options.stack,
    options.preview ?? false,
  );

  // Capture the registration request so newResource can report parent, dependencies and options. The mock
  // monitor calls newResource synchronously inside registerResource, so the request cannot be mixed up.
  monitor = runtime.getMonitor() as MockMonitorLike;
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    currentRequest = req;
    try {
      return registerResource(req, callback);
    } finally {
      currentRequest = undefined;
    }
  };

  pulumi.runtime.setAllConfig(namespaced({ ...baseTestConfig(options.stack), ...(options.config ?? {}) }));

  vi.resetModules();
  const program = (await import('../index')) as Record<string, unknown>;
  const outputs = await runtime.serializeProperties('stack-outputs', program);
  await runtime.waitForRPCs();

  return { stack: options.stack, resources, outputs, invokes, durationMs: performance.now() - started };
}

/** The custom resources of a given type token. */
export function resourcesOfType(run: ProgramRun, type: string): RegisteredResource[] {
  return run.resources.filter((resource) => resource.type === type);
}

/** The single custom resource of a type; throws if there are none or several. */
export function onlyResourceOfType(run: ProgramRun, type: string): RegisteredResource {
  const found = resourcesOfType(run, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return found[0] as RegisteredResource;
}
