import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';

/** Where the kubelet mounts the pod's service account token and the cluster's CA. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface SecretRef {
  namespace: string;
  name: string;
}

export interface ApiRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
}

export interface ApiResponse {
  status: number;
  body: string;
}

export interface SecretWriterOptions {
  /** Defaults to the in-cluster API server (KUBERNETES_SERVICE_HOST/PORT); plain http is allowed on loopback only. */
  baseUrl?: string;
  /** Defaults to the pod's service account token, read at each call: the kubelet rotates it. */
  token?: string;
  /** Trusted CA bundle for https; defaults to the cluster CA mounted in the pod. */
  ca?: string | Buffer;
  /** Overall deadline of the call, headers and body. */
  timeoutMs?: number;
  /** Replaces the HTTP call itself (then ca and timeoutMs are its business). */
  send?: (request: ApiRequest) => Promise<ApiResponse>;
  env?: NodeJS.ProcessEnv;
}

export type KubernetesApiFailure = 'not_found' | 'forbidden' | 'unauthorized' | 'timeout' | 'api_error';

export class KubernetesApiError extends Error {
  override readonly name = 'KubernetesApiError';
  constructor(
    readonly failure: KubernetesApiFailure,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;
// A Status object is small; anything bigger is not worth reading into an error message.
const MAX_RESPONSE_BYTES = 64 * 1024;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The API server as a pod sees it, from the variables the kubelet sets in every container. */
export function inClusterApiBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new Error('KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set: not running in a Kubernetes pod');
  }
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Replaces some keys of an existing Secret's data with a JSON merge patch, leaving its other keys alone.
 *
 * Deliberately PATCH only, never create or replace: the Secret is created by the Pulumi program, and the job's RBAC
 * Role grants get and patch on that one resourceName and nothing else.
 */
export async function patchSecretData(
  secret: SecretRef,
  data: Record<string, string>,
  options: SecretWriterOptions = {},
): Promise<void> {
  const base = new URL(options.baseUrl ?? inClusterApiBaseUrl(options.env));
  if (base.protocol !== 'https:' && !(base.protocol === 'http:' && LOOPBACK_HOSTS.has(base.hostname))) {
    throw new Error(`The Kubernetes API URL ${base.origin} must use https (plain http is allowed on loopback only)`);
  }
  const path = `/api/v1/namespaces/${encodeURIComponent(secret.namespace)}/secrets/${encodeURIComponent(secret.name)}`;
  const url = new URL(`${base.pathname.replace(/\/$/, '')}${path}`, base);
  const encoded = Object.fromEntries(
    Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'utf8').toString('base64')]),
  );
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const send =
    options.send ??
    ((request: ApiRequest) =>
      sendWithNode(request, {
        ca: url.protocol === 'https:' ? (options.ca ?? readServiceAccountFile('ca.crt')) : undefined,
        timeoutMs,
      }));
  const target = `PATCH ${url.pathname}`;
  let response: ApiResponse;
  try {
    response = await send({
      method: 'PATCH',
      url,
      headers: {
        Authorization: `Bearer ${options.token ?? readServiceAccountFile('token').trim()}`,
        'Content-Type': 'application/merge-patch+json',
        Accept: 'application/json',
      },
      body: JSON.stringify({ data: encoded }),
    });
  } catch (error) {
    if (error instanceof KubernetesApiError) throw error;
    throw new KubernetesApiError('api_error', `${target} failed: ${(error as Error).message}`, undefined, {
      cause: error,
    });
  }
  if (response.status >= 200 && response.status < 300) return;
  throw describeFailure(secret, target, response);
}

function describeFailure(secret: SecretRef, target: string, response: ApiResponse): KubernetesApiError {
  const { status } = response;
  const apiMessage = statusMessage(response.body);
  const detail = apiMessage ? ` (API: ${apiMessage})` : '';
  const ref = `${secret.namespace}/${secret.name}`;
  switch (status) {
    case 404:
      return new KubernetesApiError(
        'not_found',
        `The Secret ${ref} does not exist: the Pulumi program creates it, this job only updates it${detail}`,
        status,
      );
    case 403:
      return new KubernetesApiError(
        'forbidden',
        `The service account may not patch the Secret ${ref}: its RBAC Role must allow get and patch on this ` +
          `resourceName${detail}`,
        status,
      );
    case 401:
      return new KubernetesApiError(
        'unauthorized',
        `The Kubernetes API rejected the service account token (401) for ${target}${detail}`,
        status,
      );
    default:
      return new KubernetesApiError('api_error', `The Kubernetes API answered ${status} to ${target}${detail}`, status);
  }
}

/** The `message` of a Kubernetes Status object, when the body is one. */
function statusMessage(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const message = (parsed as { message?: unknown } | null)?.message;
    return typeof message === 'string' && message !== '' ? message : undefined;
  } catch {
    return undefined;
  }
}

function readServiceAccountFile(name: string): string {
  const path = `${SERVICE_ACCOUNT_DIR}/${name}`;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `Cannot read ${path} (is automountServiceAccountToken off, or is this not a pod?): ${(error as Error).message}`,
      { cause: error },
    );
  }
}

function sendWithNode(request: ApiRequest, options: { ca?: string | Buffer; timeoutMs: number }): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const signal = AbortSignal.timeout(options.timeoutMs);
    const fail = (error: Error) =>
      reject(
        signal.aborted
          ? new KubernetesApiError(
              'timeout',
              `The Kubernetes API did not answer ${request.method} ${request.url.pathname} within ${options.timeoutMs} ms`,
              undefined,
              { cause: error },
            )
          : error,
      );
    const transport = request.url.protocol === 'https:' ? https : http;
    const outgoing = transport.request(
      request.url,
      {
        method: request.method,
        headers: { ...request.headers, 'Content-Length': String(Buffer.byteLength(request.body)) },
        signal,
        ...(options.ca === undefined ? {} : { ca: options.ca }),
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        let size = 0;
        incoming.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
        });
        incoming.on('end', () =>
          resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        incoming.on('error', fail);
      },
    );
    outgoing.on('error', fail);
    outgoing.end(request.body);
  });
}
