/**
 * The fixture surface of the MCP conformance suite's "everything server", mounted on our own server
 * in tests only (through the app's `registerExtras` hook), so the suite exercises our HTTP stack,
 * auth wiring and SDK version rather than the suite's reference server.
 *
 * Names, payloads and input-request keys are the ones the scenarios of
 * `@modelcontextprotocol/conformance` 0.1.16 (2025 era) and 0.2.0-alpha.12 (`--requirements 2026-07-28`)
 * call and check; see each scenario's description in `conformance list` / the suite's source.
 *
 * A server is built per request, so every schema, codec and constant lives at module scope.
 */
import { randomBytes } from 'node:crypto';
import {
  acceptedContent,
  type CallToolResult,
  completable,
  createRequestStateCodec,
  fromJsonSchema,
  type GetPromptResult,
  type InputRequest,
  type InputRequiredResult,
  inputRequired,
  inputResponse,
  type McpServer,
  ProtocolError,
  ProtocolErrorCode,
  type RequestStateCodec,
  ResourceTemplate,
  type ServerContext,
  type ServerNotifier,
} from '@modelcontextprotocol/server';
import { z } from 'zod';

// 1x1 PNG and a minimal WAV: the exact payloads the suite compares against.
const TEST_IMAGE_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const TEST_AUDIO_BASE64 = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=';

const URIS = {
  staticText: 'test://static-text',
  staticBinary: 'test://static-binary',
  template: 'test://template/{id}/data',
  watched: 'test://watched-resource',
  embedded: 'test://embedded-resource',
  mixed: 'test://mixed-content-resource',
} as const;

// ---------- schemas (hoisted: building zod schemas per request is a measured hot spot) ----------

const emptyArgs = z.object({});
const samplingArgs = z.object({ prompt: z.string().describe('The prompt to send to the LLM') });
const elicitationArgs = z.object({ message: z.string().describe('The message to show the user') });
const promptWithArguments = z.object({
  arg1: completable(z.string().describe('First test argument'), (value) =>
    ['paris', 'park', 'party'].filter((candidate) => candidate.startsWith(value)),
  ),
  arg2: z.string().describe('Second test argument'),
});
const promptWithResource = z.object({ resourceUri: z.string().describe('URI of the resource to embed') });

// SEP-1613: served verbatim so the suite can check $schema, $defs and additionalProperties survive.
const jsonSchema202012Tool = fromJsonSchema<{ name?: string; address?: { street?: string; city?: string } }>({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: {
    address: { type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } },
  },
  properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } },
  additionalProperties: false,
});

const nameAnswer = z.object({ name: z.string() });
const colorAnswer = z.object({ color: z.string() });
const contextAnswer = z.object({ context: z.string() });
const okAnswer = z.object({ ok: z.boolean() });

const askName: InputRequest = inputRequired.elicit({
  message: 'What is your name?',
  requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
});
const askConfirm: InputRequest = inputRequired.elicit({
  message: 'Please confirm',
  requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
});
const askColor: InputRequest = inputRequired.elicit({
  message: 'Step 2: What is your favorite color?',
  requestedSchema: { type: 'object', properties: { color: { type: 'string' } }, required: ['color'] },
});
const askStep1Name: InputRequest = inputRequired.elicit({
  message: 'Step 1: What is your name?',
  requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
});
const askPromptContext: InputRequest = inputRequired.elicit({
  message: 'What context should the prompt use?',
  requestedSchema: { type: 'object', properties: { context: { type: 'string' } }, required: ['context'] },
});
const askCapital: InputRequest = inputRequired.createMessage({
  messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }],
  maxTokens: 100,
});
const askGreeting: InputRequest = inputRequired.createMessage({
  messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }],
  maxTokens: 50,
});
const askRoots: InputRequest = inputRequired.listRoots();

// ---------- requestState integrity ----------

/** What the multi-round fixtures carry between rounds (sealed by a codec, so a tampered echo is refused). */
const fixtureStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('request-state') }),
  z.object({ kind: z.literal('multiple-inputs') }),
  z.object({ kind: z.literal('multi-round-1') }),
  z.object({ kind: z.literal('multi-round-2'), name: z.string() }),
  z.object({ kind: z.literal('tampered-state') }),
]);
type FixtureState = z.infer<typeof fixtureStateSchema>;

/**
 * The HMAC codec the fixtures seal their requestState with when the host gives them none. Only the
 * server's `requestState.verify` hook can answer a bad state with the JSON-RPC error the spec requires
 * (an error thrown by a tool becomes an `isError` result), so a server carrying these fixtures must be
 * built with `{ requestState: { verify: codec.verify } }` for the same codec. A per-process key is
 * enough here: in tests one process serves every round of a flow.
 */
export const conformanceRequestStateCodec: RequestStateCodec<unknown> = createRequestStateCodec<unknown>({
  key: randomBytes(32),
  ttlSeconds: 300,
});

export interface ConformanceFixtureOptions {
  /** The codec whose `verify` the host server runs as `ServerOptions.requestState.verify`. */
  requestStateCodec?: RequestStateCodec<unknown>;
  /**
   * The serving handler's change notifier (`createMcpHandler(...).notify`), read lazily because the
   * handler is created after its factory. Enables the list-changed trigger tools of `server-stateless`.
   */
  notifier?: () => ServerNotifier;
}

interface FixtureContext {
  server: McpServer;
  codec: RequestStateCodec<unknown>;
  notifier: (() => ServerNotifier) | undefined;
}

/**
 * This round's requestState. With the verify hook in place the SDK hands over the decoded payload; a raw
 * string means no hook decoded it, so it is verified here too (defence in depth: a failure then surfaces
 * as a tool error, which the tampered-state scenario rightly reports as non-conformant).
 */
async function readFixtureState(fixtures: FixtureContext, ctx: ServerContext): Promise<FixtureState | undefined> {
  const state = ctx.mcpReq.requestState<unknown>();
  if (state === undefined) return undefined;
  const decoded = typeof state === 'string' ? await fixtures.codec.verify(state, ctx) : state;
  const parsed = fixtureStateSchema.safeParse(decoded);
  if (!parsed.success) {
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, 'requestState does not belong to this tool', {
      reason: 'invalid_request_state',
    });
  }
  return parsed.data;
}

function mintFixtureState(fixtures: FixtureContext, state: FixtureState, ctx: ServerContext): Promise<string> {
  return fixtures.codec.mint(state, ctx);
}

function text(value: string): CallToolResult {
  return { content: [{ type: 'text', text: value }] };
}

function samplingText(ctx: ServerContext, key: string): string | undefined {
  const view = inputResponse(ctx.mcpReq.inputResponses, key);
  if (view.kind !== 'sampling') return undefined;
  const content = view.result.content;
  return !Array.isArray(content) && content.type === 'text' ? content.text : '(non-text sampling reply)';
}

// ---------- registration ----------

/**
 * Registers every tool, resource and prompt both conformance suites call. Test-only: mount it through
 * the app's `registerExtras` hook, on a server built with `requestState.verify` (see
 * {@link conformanceRequestStateCodec}).
 */
export function registerConformanceFixtures(server: McpServer, options: ConformanceFixtureOptions = {}): void {
  const fixtures: FixtureContext = {
    server,
    codec: options.requestStateCodec ?? conformanceRequestStateCodec,
    notifier: options.notifier,
  };
  // The suite's 2025 scenarios need these beyond what registering tools/resources/prompts declares.
  server.server.registerCapabilities({ logging: {}, resources: { subscribe: true } });
  registerContentTools(server);
  registerNotifyingTools(server);
  registerClientRequestTools(server);
  registerInputRequiredTools(fixtures);
  registerStatelessDiagnosticTools(fixtures);
  registerResources(server);
  registerPrompts(server);
}

function registerContentTools(server: McpServer): void {
  server.registerTool('test_simple_text', { description: 'Tests simple text content response' }, () =>
    text('This is a simple text response for testing.'),
  );
  server.registerTool('test_image_content', { description: 'Tests image content response' }, () => ({
    content: [{ type: 'image', data: TEST_IMAGE_BASE64, mimeType: 'image/png' }],
  }));
  server.registerTool('test_audio_content', { description: 'Tests audio content response' }, () => ({
    content: [{ type: 'audio', data: TEST_AUDIO_BASE64, mimeType: 'audio/wav' }],
  }));
  server.registerTool('test_embedded_resource', { description: 'Tests embedded resource content response' }, () => ({
    content: [
      {
        type: 'resource',
        resource: { uri: URIS.embedded, mimeType: 'text/plain', text: 'This is an embedded resource content.' },
      },
    ],
  }));
  server.registerTool(
    'test_multiple_content_types',
    { description: 'Tests response with multiple content types (text, image, resource)' },
    () => ({
      content: [
        { type: 'text', text: 'Multiple content types test:' },
        { type: 'image', data: TEST_IMAGE_BASE64, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: {
            uri: URIS.mixed,
            mimeType: 'application/json',
            text: JSON.stringify({ test: 'data', value: 123 }),
          },
        },
      ],
    }),
  );
  server.registerTool('test_error_handling', { description: 'Tests error response handling' }, () => {
    throw new Error('This tool intentionally returns an error for testing');
  });
  server.registerTool(
    'json_schema_2020_12_tool',
    {
      description: 'Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)',
      inputSchema: jsonSchema202012Tool,
    },
    (args) => text(`JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`),
  );
}

function registerNotifyingTools(server: McpServer): void {
  server.registerTool(
    'test_tool_with_logging',
    { description: 'Tests tool that emits log messages during execution', inputSchema: emptyArgs },
    async (_args, ctx) => {
      for (const step of ['Tool execution started', 'Tool processing data', 'Tool execution completed']) {
        await ctx.mcpReq.log('info', step);
      }
      return text('Tool with logging executed successfully');
    },
  );
  server.registerTool(
    'test_tool_with_progress',
    { description: 'Tests tool that reports progress notifications', inputSchema: emptyArgs },
    async (_args, ctx) => {
      const progressToken = ctx.mcpReq._meta?.progressToken;
      if (progressToken !== undefined) {
        for (const progress of [0, 50, 100]) {
          await ctx.mcpReq.notify({
            method: 'notifications/progress',
            params: { progressToken, progress, total: 100, message: `Completed step ${progress} of 100` },
          });
        }
      }
      return text(String(progressToken ?? 0));
    },
  );
}

/**
 * The 2025 scenarios for server-to-client requests. Written once with `inputRequired`: on 2025-era
 * requests the SDK's legacy shim turns them into real server-to-client requests, which need a session
 * to carry the client's reply; our stateless endpoint has none, so these scenarios are expected failures.
 */
function registerClientRequestTools(server: McpServer): void {
  server.registerTool(
    'test_sampling',
    { description: 'Tests server-initiated sampling (LLM completion request)', inputSchema: samplingArgs },
    ({ prompt }, ctx) => {
      const reply = samplingText(ctx, 'llm');
      if (reply !== undefined) return text(`LLM response: ${reply}`);
      return inputRequired({
        inputRequests: {
          llm: inputRequired.createMessage({
            messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
            maxTokens: 100,
          }),
        },
      });
    },
  );
  server.registerTool(
    'test_elicitation',
    { description: 'Tests server-initiated elicitation (user input request)', inputSchema: elicitationArgs },
    ({ message }, ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'response');
      if (answer.kind === 'elicit') {
        return text(`User response: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`);
      }
      return inputRequired({
        inputRequests: {
          response: inputRequired.elicit({
            message,
            requestedSchema: {
              type: 'object',
              properties: { response: { type: 'string', description: "User's response" } },
              required: ['response'],
            },
          }),
        },
      });
    },
  );
  server.registerTool(
    'test_elicitation_sep1034_defaults',
    { description: 'Tests elicitation with default values per SEP-1034', inputSchema: emptyArgs },
    (_args, ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'defaults');
      if (answer.kind === 'elicit') {
        return text(`Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`);
      }
      return inputRequired({ inputRequests: { defaults: elicitWithDefaults } });
    },
  );
  server.registerTool(
    'test_elicitation_sep1330_enums',
    { description: 'Tests elicitation with enum schema improvements per SEP-1330', inputSchema: emptyArgs },
    (_args, ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'enums');
      if (answer.kind === 'elicit') {
        return text(`Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`);
      }
      return inputRequired({ inputRequests: { enums: elicitWithEnums } });
    },
  );
}

const elicitWithDefaults: InputRequest = inputRequired.elicit({
  message: 'Please review and update the form fields with defaults',
  requestedSchema: {
    type: 'object',
    properties: {
      name: { type: 'string', description: 'User name', default: 'John Doe' },
      age: { type: 'integer', description: 'User age', default: 30 },
      score: { type: 'number', description: 'User score', default: 95.5 },
      status: {
        type: 'string',
        description: 'User status',
        enum: ['active', 'inactive', 'pending'],
        default: 'active',
      },
      verified: { type: 'boolean', description: 'Verification status', default: true },
    },
    required: [],
  },
});

const elicitWithEnums: InputRequest = inputRequired.elicit({
  message: 'Please select options from the enum fields',
  requestedSchema: {
    type: 'object',
    properties: {
      untitledSingle: { type: 'string', description: 'Select one option', enum: ['option1', 'option2', 'option3'] },
      titledSingle: {
        type: 'string',
        description: 'Select one option with titles',
        oneOf: [
          { const: 'value1', title: 'First Option' },
          { const: 'value2', title: 'Second Option' },
          { const: 'value3', title: 'Third Option' },
        ],
      },
      legacyEnum: {
        type: 'string',
        description: 'Select one option (legacy)',
        enum: ['opt1', 'opt2', 'opt3'],
        enumNames: ['Option One', 'Option Two', 'Option Three'],
      },
      untitledMulti: {
        type: 'array',
        description: 'Select multiple options',
        minItems: 1,
        maxItems: 3,
        items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
      },
      titledMulti: {
        type: 'array',
        description: 'Select multiple options with titles',
        minItems: 1,
        maxItems: 3,
        items: {
          anyOf: [
            { const: 'value1', title: 'First Choice' },
            { const: 'value2', title: 'Second Choice' },
            { const: 'value3', title: 'Third Choice' },
          ],
        },
      },
    },
    required: [],
  },
});

/** SEP-2322 multi-round-trip fixtures (2026-07-28): each returns `input_required` until it has its answers. */
function registerInputRequiredTools(fixtures: FixtureContext): void {
  const { server } = fixtures;
  server.registerTool(
    'test_input_required_result_elicitation',
    { description: 'Returns InputRequiredResult with an elicitation request', inputSchema: emptyArgs },
    (_args, ctx) => {
      // Validated against the schema: a malformed answer (e.g. a number) is asked for again.
      const answer = acceptedContent(ctx.mcpReq.inputResponses, 'user_name', nameAnswer);
      if (answer) return text(`Hello, ${answer.name}!`);
      return inputRequired({ inputRequests: { user_name: askName } });
    },
  );
  server.registerTool(
    'test_input_required_result_sampling',
    { description: 'Returns InputRequiredResult with a sampling request', inputSchema: emptyArgs },
    (_args, ctx) => {
      const reply = samplingText(ctx, 'capital_question');
      if (reply !== undefined) return text(`Sampling result: ${reply}`);
      return inputRequired({ inputRequests: { capital_question: askCapital } });
    },
  );
  server.registerTool(
    'test_input_required_result_list_roots',
    { description: 'Returns InputRequiredResult with a roots/list request', inputSchema: emptyArgs },
    (_args, ctx) => {
      const roots = inputResponse(ctx.mcpReq.inputResponses, 'client_roots');
      if (roots.kind === 'roots') {
        return text(`Found ${roots.roots.length} root(s): ${roots.roots.map((root) => root.uri).join(', ')}`);
      }
      return inputRequired({ inputRequests: { client_roots: askRoots } });
    },
  );
  server.registerTool(
    'test_input_required_result_request_state',
    { description: 'Returns InputRequiredResult with an integrity-protected requestState', inputSchema: emptyArgs },
    async (_args, ctx) => {
      const state = await readFixtureState(fixtures, ctx);
      const answer = acceptedContent(ctx.mcpReq.inputResponses, 'confirm', okAnswer);
      if (state?.kind === 'request-state' && answer) {
        return text(`state-ok: requestState validated (ok=${answer.ok})`);
      }
      return inputRequired({
        inputRequests: { confirm: askConfirm },
        requestState: await mintFixtureState(fixtures, { kind: 'request-state' }, ctx),
      });
    },
  );
  server.registerTool(
    'test_input_required_result_multiple_inputs',
    {
      description: 'Returns InputRequiredResult with elicitation, sampling and roots requests',
      inputSchema: emptyArgs,
    },
    async (_args, ctx) => {
      const state = await readFixtureState(fixtures, ctx);
      const name = acceptedContent(ctx.mcpReq.inputResponses, 'user_name', nameAnswer);
      const greeting = samplingText(ctx, 'greeting');
      const roots = inputResponse(ctx.mcpReq.inputResponses, 'client_roots');
      if (state?.kind === 'multiple-inputs' && name && greeting !== undefined && roots.kind === 'roots') {
        return text(`Name: ${name.name}; Greeting: ${greeting}; Roots: ${roots.roots.length}`);
      }
      return inputRequired({
        inputRequests: { user_name: askName, greeting: askGreeting, client_roots: askRoots },
        requestState: await mintFixtureState(fixtures, { kind: 'multiple-inputs' }, ctx),
      });
    },
  );
  server.registerTool(
    'test_input_required_result_multi_round',
    { description: 'Returns InputRequiredResult across two rounds before completing', inputSchema: emptyArgs },
    async (_args, ctx) => multiRound(fixtures, await readFixtureState(fixtures, ctx), ctx),
  );
  server.registerTool(
    'test_input_required_result_tampered_state',
    { description: 'Refuses a requestState that fails its integrity check', inputSchema: emptyArgs },
    async (_args, ctx) => {
      // A tampered state never gets here: the server's requestState.verify hook answers it with -32602.
      const state = await readFixtureState(fixtures, ctx);
      if (state?.kind === 'tampered-state' && acceptedContent(ctx.mcpReq.inputResponses, 'confirm', okAnswer)) {
        return text('requestState verified');
      }
      return inputRequired({
        inputRequests: { confirm: askConfirm },
        requestState: await mintFixtureState(fixtures, { kind: 'tampered-state' }, ctx),
      });
    },
  );
  server.registerTool(
    'test_input_required_result_capabilities',
    { description: 'Only asks for input the client declared it can give', inputSchema: emptyArgs },
    (_args, ctx) => {
      const capabilities = server.server.getClientCapabilities() ?? {};
      const name = acceptedContent(ctx.mcpReq.inputResponses, 'user_name', nameAnswer);
      const capital = samplingText(ctx, 'capital_question');
      const wanted: Record<string, InputRequest> = {};
      if (capabilities.elicitation && !name) wanted.user_name = askName;
      if (capabilities.sampling && capital === undefined) wanted.capital_question = askCapital;
      if (Object.keys(wanted).length > 0) return inputRequired({ inputRequests: wanted });
      return text(`Answers received: name=${name?.name ?? '-'}, capital=${capital ?? '-'}`);
    },
  );
}

async function multiRound(
  fixtures: FixtureContext,
  state: FixtureState | undefined,
  ctx: ServerContext,
): Promise<CallToolResult | InputRequiredResult> {
  if (state?.kind === 'multi-round-1') {
    const answer = acceptedContent(ctx.mcpReq.inputResponses, 'step1', nameAnswer);
    if (answer) {
      return inputRequired({
        inputRequests: { step2: askColor },
        requestState: await mintFixtureState(fixtures, { kind: 'multi-round-2', name: answer.name }, ctx),
      });
    }
  }
  if (state?.kind === 'multi-round-2') {
    const answer = acceptedContent(ctx.mcpReq.inputResponses, 'step2', colorAnswer);
    if (answer) return text(`Multi-round complete for ${state.name} who likes ${answer.color}`);
    return inputRequired({
      inputRequests: { step2: askColor },
      requestState: await mintFixtureState(fixtures, state, ctx),
    });
  }
  return inputRequired({
    inputRequests: { step1: askStep1Name },
    requestState: await mintFixtureState(fixtures, { kind: 'multi-round-1' }, ctx),
  });
}

/** Diagnostic tools the 2026 `server-stateless` scenario probes. */
function registerStatelessDiagnosticTools(fixtures: FixtureContext): void {
  const { server, notifier } = fixtures;
  server.registerTool(
    'test_missing_capability',
    {
      description: 'Needs sampling; the SDK refuses it with -32021 when the client did not declare sampling',
      inputSchema: emptyArgs,
    },
    (_args, ctx) => {
      const reply = samplingText(ctx, 'capital_question');
      if (reply !== undefined) return text(`Sampling result: ${reply}`);
      return inputRequired({ inputRequests: { capital_question: askCapital } });
    },
  );
  server.registerTool(
    'test_logging_tool',
    { description: 'Logs at info level; emits nothing unless the request set a log level', inputSchema: emptyArgs },
    async (_args, ctx) => {
      await ctx.mcpReq.log('info', 'test_logging_tool ran');
      return text('logged');
    },
  );
  server.registerTool(
    'test_streaming_elicitation',
    { description: 'Needs user input; asks for it in-band, never as an independent request', inputSchema: emptyArgs },
    (_args, ctx) => {
      const answer = acceptedContent(ctx.mcpReq.inputResponses, 'user_name', nameAnswer);
      if (answer) return text(`Hello, ${answer.name}!`);
      return inputRequired({ inputRequests: { user_name: askName } });
    },
  );
  if (notifier === undefined) return;
  server.registerTool(
    'test_trigger_tool_change',
    { description: 'Publishes notifications/tools/list_changed to open subscriptions', inputSchema: emptyArgs },
    () => {
      notifier().toolsChanged();
      return text('tools list change published');
    },
  );
  server.registerTool(
    'test_trigger_prompt_change',
    { description: 'Publishes notifications/prompts/list_changed to open subscriptions', inputSchema: emptyArgs },
    () => {
      notifier().promptsChanged();
      return text('prompts list change published');
    },
  );
}

function registerResources(server: McpServer): void {
  server.registerResource(
    'static-text',
    URIS.staticText,
    { title: 'Static Text Resource', description: 'A static text resource for testing', mimeType: 'text/plain' },
    () => ({
      contents: [
        { uri: URIS.staticText, mimeType: 'text/plain', text: 'This is the content of the static text resource.' },
      ],
    }),
  );
  server.registerResource(
    'static-binary',
    URIS.staticBinary,
    {
      title: 'Static Binary Resource',
      description: 'A static binary resource (image) for testing',
      mimeType: 'image/png',
    },
    () => ({ contents: [{ uri: URIS.staticBinary, mimeType: 'image/png', blob: TEST_IMAGE_BASE64 }] }),
  );
  server.registerResource(
    'template',
    resourceTemplate,
    {
      title: 'Resource Template',
      description: 'A resource template with parameter substitution',
      mimeType: 'application/json',
    },
    (uri, variables) => ({
      contents: [
        {
          uri: uri.toString(),
          mimeType: 'application/json',
          text: JSON.stringify({ id: variables.id, templateTest: true, data: `Data for ID: ${String(variables.id)}` }),
        },
      ],
    }),
  );
  server.registerResource(
    'watched-resource',
    URIS.watched,
    { title: 'Watched Resource', description: 'A resource clients may subscribe to', mimeType: 'text/plain' },
    () => ({ contents: [{ uri: URIS.watched, mimeType: 'text/plain', text: 'Watched resource content' }] }),
  );
  // 2025-era subscriptions: accepted and acknowledged; a stateless endpoint has no stream to push updates on.
  server.server.setRequestHandler('resources/subscribe', () => ({}));
  server.server.setRequestHandler('resources/unsubscribe', () => ({}));
}

const resourceTemplate = new ResourceTemplate(URIS.template, { list: undefined });

function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    'test_simple_prompt',
    { title: 'Simple Test Prompt', description: 'A simple prompt without arguments' },
    () => ({ messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }] }),
  );
  server.registerPrompt(
    'test_prompt_with_arguments',
    {
      title: 'Prompt With Arguments',
      description: 'A prompt with required arguments',
      argsSchema: promptWithArguments,
    },
    ({ arg1, arg2 }) => ({
      messages: [
        { role: 'user', content: { type: 'text', text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` } },
      ],
    }),
  );
  server.registerPrompt(
    'test_prompt_with_embedded_resource',
    {
      title: 'Prompt With Embedded Resource',
      description: 'A prompt that includes an embedded resource',
      argsSchema: promptWithResource,
    },
    ({ resourceUri }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'resource',
            resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' },
          },
        },
        { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
      ],
    }),
  );
  server.registerPrompt(
    'test_prompt_with_image',
    { title: 'Prompt With Image', description: 'A prompt that includes image content' },
    () => ({
      messages: [
        { role: 'user', content: { type: 'image', data: TEST_IMAGE_BASE64, mimeType: 'image/png' } },
        { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
      ],
    }),
  );
  server.registerPrompt(
    'test_input_required_result_prompt',
    { title: 'Prompt Needing Input', description: 'Returns InputRequiredResult before producing the prompt' },
    (ctx): GetPromptResult | InputRequiredResult => {
      const answer = acceptedContent(ctx.mcpReq.inputResponses, 'user_context', contextAnswer);
      if (answer) {
        return {
          messages: [{ role: 'user', content: { type: 'text', text: `Prompt with context: ${answer.context}` } }],
        };
      }
      return inputRequired({ inputRequests: { user_context: askPromptContext } });
    },
  );
}
