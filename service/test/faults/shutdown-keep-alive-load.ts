import { Agent, request } from 'node:http';

/** What became of one request of the load. */
export interface LoadOutcome {
  /** Sent before the signal (the load's own clock). */
  startedBeforeSignal: boolean;
  /** Whether the socket had already carried an earlier request (a kept-alive connection). */
  reusedSocket: boolean;
  status?: number;
  connectionHeader?: string;
  body?: string;
  /** Set when the request failed at the connection level. */
  errorCode?: string;
  /** The response head had arrived when the connection failed: a response cut mid-way. */
  failedMidResponse: boolean;
}

export interface KeepAliveLoad {
  readonly outcomes: LoadOutcome[];
  /** Marks the instant of the signal: requests sent from now on count as "after". */
  markSignal(): void;
  /** Resolves once every client has stopped (the server refused a new connection, or `stop` was called). */
  readonly finished: Promise<void>;
  stop(): void;
  destroy(): void;
}

/**
 * `clients` keep-alive connections, each sending one request after the other for as long as the server takes
 * them: what a gateway's upstream connection pool does to a replica during a rollout. A client stops once the
 * server refuses a new connection (its listener is closed), so the load outlives the whole shutdown.
 */
export function startKeepAliveLoad(options: {
  url: string;
  clients: number;
  headers: () => Record<string, string>;
  body: string;
}): KeepAliveLoad {
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
  const outcomes: LoadOutcome[] = [];
  let signalled = false;
  let stopped = false;

  const once = (): Promise<LoadOutcome> =>
    new Promise((resolve) => {
      const outcome: LoadOutcome = { startedBeforeSignal: !signalled, reusedSocket: false, failedMidResponse: false };
      const req = request(options.url, { method: 'POST', agent, headers: options.headers() }, (res) => {
        outcome.status = res.statusCode;
        outcome.connectionHeader = res.headers.connection;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          outcome.body = Buffer.concat(chunks).toString('utf8');
          resolve(outcome);
        });
        res.on('error', (error: NodeJS.ErrnoException) => {
          outcome.errorCode = error.code ?? error.message;
          outcome.failedMidResponse = true;
          resolve(outcome);
        });
      });
      req.on('socket', () => {
        outcome.reusedSocket = req.reusedSocket;
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        outcome.errorCode = error.code ?? error.message;
        outcome.failedMidResponse = outcome.status !== undefined;
        resolve(outcome);
      });
      req.end(options.body);
    });

  const client = async () => {
    while (!stopped) {
      const outcome = await once();
      outcomes.push(outcome);
      if (outcome.errorCode === 'ECONNREFUSED') return;
    }
  };
  const finished = Promise.all(Array.from({ length: options.clients }, client)).then(() => undefined);
  return {
    outcomes,
    markSignal: () => {
      signalled = true;
    },
    finished,
    stop: () => {
      stopped = true;
    },
    destroy: () => agent.destroy(),
  };
}

/** The JSON-RPC message of a single-answer body (plain JSON or one SSE event), or undefined when it is not one. */
export function jsonRpcMessageOf(body: string | undefined): { result?: unknown; error?: unknown } | undefined {
  if (!body) return undefined;
  const text = body.trimStart().startsWith('{')
    ? body
    : body
        .split('\n')
        .filter((line) => line.startsWith('data: ') && line.length > 'data: '.length)
        .map((line) => line.slice('data: '.length))
        .at(-1);
  if (!text) return undefined;
  try {
    const message = JSON.parse(text) as { jsonrpc?: unknown; result?: unknown; error?: unknown };
    return message.jsonrpc === '2.0' && ('result' in message || 'error' in message) ? message : undefined;
  } catch {
    return undefined;
  }
}
