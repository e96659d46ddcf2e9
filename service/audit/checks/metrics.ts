import { type Check, fail, pass, skip } from '../check.js';
import { type AuditResponse, send } from '../http-client.js';

/** The Prometheus text exposition format: what a metrics endpoint answers. */
function isPrometheusText(response: AuditResponse): boolean {
  return response.status === 200 && /^# (HELP|TYPE) \w+/m.test(response.body);
}

export const metricsPathCheck: Check = {
  id: 'metrics-public-path',
  title: 'Metrics are not served through the public URL',
  async run(target) {
    const base = new URL(target.mcpUrl).pathname.replace(/\/mcp$/, '');
    const urls = [...new Set([`${target.origin}${base}/metrics`, `${target.origin}/metrics`])];
    const leaks: string[] = [];
    const answers: string[] = [];
    for (const url of urls) {
      const response = await send(url, {}, target.options);
      answers.push(`${url} → ${response.status}`);
      if (isPrometheusText(response)) leaks.push(url);
    }
    if (leaks.length > 0)
      return fail(`GET ${leaks.join(', ')} answered 200 with Prometheus metrics; expected no route`);
    return pass(`GET ${answers.join(', ')}: no metrics`);
  },
};

export const metricsPortCheck: Check = {
  id: 'metrics-port',
  title: 'The metrics port is not reachable on the public host',
  async run(target) {
    const port = target.options.metricsPort;
    if (port === undefined) return skip('metrics port unknown: pass --metrics-port to check it');
    const url = new URL(target.origin);
    const metricsUrl = `${url.protocol}//${url.hostname}:${port}/metrics`;
    const plainUrl = `http://${url.hostname}:${port}/metrics`;
    for (const candidate of [...new Set([metricsUrl, plainUrl])]) {
      try {
        const response = await send(candidate, {}, target.options);
        if (isPrometheusText(response)) return fail(`GET ${candidate} answered 200 with Prometheus metrics`);
      } catch {
        // Refused, reset or timed out: not reachable, as it should be.
      }
    }
    return pass(`GET ${plainUrl}: no metrics reachable`);
  },
};
