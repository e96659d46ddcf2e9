import { randomUUID } from 'node:crypto';
import { bannerHeaders } from '../banners.js';
import { type Check, fail, pass } from '../check.js';
import { type AuditResponse, send } from '../http-client.js';
import { clip, postMcp } from '../target.js';

/** What a stack trace or an internal path looks like in Node, Python, Java and .NET answers. */
const LEAK_PATTERNS: readonly [string, RegExp][] = [
  ['a stack frame', /^\s*at \S.*(?:\(.*:\d+:\d+\)|:\d+:\d+)\s*$/m],
  ['a stack frame', /\\n\s+at \S+ \(/],
  ['a Python traceback', /Traceback \(most recent call last\)/],
  ['a file path', /(?:\/(?:home|usr|app|opt|srv|var|src|node_modules)\/[\w.@/-]+\.(?:[cm]?js|ts|py|java|cs))/],
  ['a Windows file path', /[A-Z]:\\\\?[\w.\\-]+\.(?:js|ts|py|cs|dll)/],
  ['an exception class', /\b(?:SyntaxError|TypeError|ReferenceError|NullPointerException|System\.\w+Exception)\b: /],
];

function leaksOf(response: AuditResponse): string[] {
  const leaks = LEAK_PATTERNS.filter(([, pattern]) => pattern.test(response.body)).map(([what]) => what);
  leaks.push(...bannerHeaders(response).map((banner) => `banner ${banner}`));
  return [...new Set(leaks)];
}

export const errorDisclosureCheck: Check = {
  id: 'error-disclosure',
  title: 'Error answers carry no stack trace, internal path or banner',
  async run(target) {
    const probes: [string, () => Promise<AuditResponse>][] = [
      [
        `POST ${target.mcpUrl} with malformed JSON`,
        () => postMcp(target, { token: target.options.token, body: '{"jsonrpc": "2.0", "id": 1, "method": ' }),
      ],
      [
        `POST ${target.mcpUrl} with a JSON-RPC message of the wrong shape`,
        () =>
          postMcp(target, { token: target.options.token, body: JSON.stringify({ jsonrpc: '2.0', id: {}, method: 7 }) }),
      ],
      [`GET an unknown path`, () => send(`${target.origin}/audit-${randomUUID()}`, {}, target.options)],
    ];
    const problems: string[] = [];
    const answers: string[] = [];
    for (const [sent, probe] of probes) {
      const response = await probe();
      answers.push(`${response.status}`);
      const leaks = leaksOf(response);
      if (leaks.length > 0)
        problems.push(`${sent} answered ${response.status} with ${leaks.join(', ')}: "${clip(response.body, 80)}"`);
      else if (response.status >= 500)
        problems.push(`${sent} answered ${response.status}; expected a 4xx for bad input`);
    }
    if (problems.length > 0) return fail(problems.join('; '));
    return pass(
      `malformed JSON, a wrong-shaped message and an unknown path answered ${answers.join(', ')} without leaks`,
    );
  },
};
