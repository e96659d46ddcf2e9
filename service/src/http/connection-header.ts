import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * Leaves the Connection header of a hijacked response to Node. The SDK builds web-standard Responses and names
 * `Connection: keep-alive` on its event streams; written through as is, that header overrides Node's own decision,
 * so a client's `Connection: close` was answered with keep-alive and the socket kept open, and a draining server
 * could not ask clients to leave. Without it, Node answers close when the client asked for it or when an earlier
 * hook set `Connection: close` (draining), and keep-alive otherwise.
 */
export function leaveConnectionHeaderToNode(response: ServerResponse): void {
  const writeHead = response.writeHead;
  response.writeHead = function writeHeadWithoutConnection(
    this: ServerResponse,
    statusCode: number,
    ...rest: unknown[]
  ) {
    const last = rest.at(-1);
    if (typeof last === 'object' && last !== null && !Array.isArray(last)) {
      rest[rest.length - 1] = Object.fromEntries(
        Object.entries(last as OutgoingHttpHeaders).filter(([name]) => name.toLowerCase() !== 'connection'),
      );
    }
    return (writeHead as (this: ServerResponse, code: number, ...args: unknown[]) => ServerResponse).call(
      this,
      statusCode,
      ...rest,
    );
  } as ServerResponse['writeHead'];
}
