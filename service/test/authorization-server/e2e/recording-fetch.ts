/** One HTTP exchange the client made: enough to tell which step of the OAuth dance it was. */
export interface RecordedExchange {
  method: string;
  url: string;
  status: number;
  /** The `grant_type` of a form-encoded token request. */
  grantType?: string;
  wwwAuthenticate?: string;
}

export interface RecordingFetch {
  fetch: typeof fetch;
  exchanges: RecordedExchange[];
}

/** `fetch` that records what the MCP client sent and got, for the transport and its OAuth discovery alike. */
export function recordingFetch(): RecordingFetch {
  const exchanges: RecordedExchange[] = [];
  const recording: typeof fetch = async (input, init) => {
    // Read from the arguments, not a Request copy: constructing one could consume a streamed body.
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const body = init?.body;
    const grantType =
      body instanceof URLSearchParams
        ? body.get('grant_type')
        : typeof body === 'string' && new Headers(init?.headers).get('content-type')?.includes('x-www-form-urlencoded')
          ? new URLSearchParams(body).get('grant_type')
          : null;
    const response = await fetch(input, init);
    exchanges.push({
      method: method.toUpperCase(),
      url,
      status: response.status,
      ...(grantType === null ? {} : { grantType }),
      ...(response.headers.has('www-authenticate')
        ? { wwwAuthenticate: response.headers.get('www-authenticate') as string }
        : {}),
    });
    return response;
  };
  return { fetch: recording, exchanges };
}
