/**
 * The SDK's stateless serving of 2025-era requests always answers as an event stream, even when all it sends is the
 * one result (its transport is built without `enableJsonResponse`, and JSON-only would drop a tool's progress and log
 * notifications). The 2025 transport lets a server answer with either. This is the "auto" mode the SDK has for
 * 2026-07-28 requests: when the stream holds exactly one JSON-RPC response and then ends, the answer goes out as
 * `application/json` (so `curl | jq` works, in one write instead of three). Anything else (a notification first,
 * several responses, a comment) goes out as the stream it is, the part already read included.
 */
export async function singleAnswerAsJson(response: Response): Promise<Response> {
  if (response.body === null || mediaType(response.headers.get('content-type')) !== 'text/event-stream') {
    return response;
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const chunks: Uint8Array[] = [];
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return asStream(response, chunks, reader, true);
    chunks.push(value);
    text += decoder.decode(value, { stream: true });
    const end = text.indexOf('\n\n');
    if (end < 0) continue;
    const answer = onlyResponse(text.slice(0, end));
    // More than the first event already, or not a response: a stream it is.
    if (answer === undefined || text.length > end + 2) return asStream(response, chunks, reader, false);
    const next = await reader.read();
    if (!next.done) return asStream(response, [...chunks, next.value], reader, false);
    const headers = new Headers(response.headers);
    headers.set('content-type', 'application/json');
    headers.delete('cache-control');
    headers.delete('x-accel-buffering');
    return new Response(answer, { status: response.status, statusText: response.statusText, headers });
  }
}

/** The data of an SSE event that is a single JSON-RPC response (a result or an error with an id); else undefined. */
function onlyResponse(event: string): string | undefined {
  const data: string[] = [];
  for (const line of event.split('\n')) {
    if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
    else if (line.startsWith('event:') && line.slice(6).trim() !== 'message') return undefined;
    else if (!line.startsWith('event:') && !line.startsWith('id:')) return undefined;
  }
  const payload = data.join('\n');
  try {
    const message = JSON.parse(payload) as Record<string, unknown>;
    const isResponse =
      typeof message === 'object' &&
      message !== null &&
      !Array.isArray(message) &&
      'id' in message &&
      ('result' in message || 'error' in message);
    return isResponse ? payload : undefined;
  } catch {
    return undefined;
  }
}

/** The original stream: what was read first, then the rest as it comes; cancelling it cancels the source. */
function asStream(
  response: Response,
  read: Uint8Array[],
  reader: ReadableStreamDefaultReader<Uint8Array>,
  ended: boolean,
): Response {
  const pending = [...read];
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = pending.shift();
      if (chunk) return controller.enqueue(chunk);
      if (ended) return controller.close();
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}
