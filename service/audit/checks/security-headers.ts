import { bannerHeaders } from '../banners.js';
import { type Check, fail, pass } from '../check.js';
import { headerOf } from '../http-client.js';
import { postMcp } from '../target.js';

/** 180 days: shorter HSTS lets a first visit after expiry be downgraded. */
const MIN_HSTS_SECONDS = 15_552_000;

export const securityHeadersCheck: Check = {
  id: 'security-headers',
  title: 'Security headers on /mcp, no server banner',
  async run(target) {
    const response = await postMcp(target);
    const problems: string[] = [];
    if (headerOf(response, 'x-content-type-options')?.toLowerCase() !== 'nosniff') {
      problems.push('x-content-type-options is not nosniff');
    }
    const csp = headerOf(response, 'content-security-policy') ?? '';
    const frameOptions = headerOf(response, 'x-frame-options')?.toUpperCase();
    if (!/frame-ancestors\s+'none'/i.test(csp) && frameOptions !== 'DENY' && frameOptions !== 'SAMEORIGIN') {
      problems.push("no frame protection (content-security-policy frame-ancestors 'none' or x-frame-options)");
    }
    if (target.origin.startsWith('https:')) {
      const hsts = headerOf(response, 'strict-transport-security') ?? '';
      const maxAge = Number(/max-age=(\d+)/i.exec(hsts)?.[1] ?? 0);
      if (maxAge < MIN_HSTS_SECONDS) problems.push(`strict-transport-security max-age ${maxAge} < ${MIN_HSTS_SECONDS}`);
    }
    const banners = bannerHeaders(response);
    if (banners.length > 0) problems.push(`banner ${banners.join(', ')}`);
    const sent = `POST ${target.mcpUrl} answered ${response.status}`;
    if (problems.length > 0) return fail(`${sent}: ${problems.join('; ')}`);
    const hsts = target.origin.startsWith('https:') ? ', HSTS' : ' (HSTS not required on http)';
    return pass(`${sent} with nosniff, frame protection${hsts}, no banner`);
  },
};
