import { type AuditResponse, headerOf } from './http-client.js';

/**
 * Headers that tell an attacker which software (and often which version) answers: any X-Powered-By, and a Server or
 * Via header carrying a version number. A bare product name (`Server: kong`) is tolerated, a version is not.
 */
export function bannerHeaders(response: AuditResponse): string[] {
  const found: string[] = [];
  for (const name of ['x-powered-by', 'x-aspnet-version', 'x-aspnetmvc-version']) {
    const value = headerOf(response, name);
    if (value !== undefined) found.push(`${name}: ${value}`);
  }
  for (const name of ['server', 'via']) {
    const value = headerOf(response, name);
    if (value !== undefined && /\d/.test(value)) found.push(`${name}: ${value}`);
  }
  return found;
}
