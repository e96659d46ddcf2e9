import { randomUUID } from 'node:crypto';
import { base64url, generateKeyPair, SignJWT } from 'jose';
import { bearerChallengeParams } from '../bearer-challenge.js';
import { type Check, fail, pass } from '../check.js';
import { headerOf } from '../http-client.js';
import { clip, postMcp } from '../target.js';

export const unauthenticatedCheck: Check = {
  id: 'no-token-401',
  title: 'POST /mcp without a token: 401 with an RFC 9728 challenge',
  async run(target) {
    const response = await postMcp(target);
    const challenge = headerOf(response, 'www-authenticate');
    const sent = `POST ${target.mcpUrl} without Authorization answered ${response.status}`;
    if (response.status !== 401) return fail(`${sent}; expected 401`);
    const params = bearerChallengeParams(challenge);
    if (params === undefined) return fail(`${sent} with WWW-Authenticate "${clip(challenge ?? '')}"; expected Bearer`);
    const metadataUrl = params.resource_metadata;
    if (metadataUrl === undefined || !URL.canParse(metadataUrl)) {
      return fail(`${sent}: the Bearer challenge has no resource_metadata URL (RFC 9728 §5.1)`);
    }
    target.learnt.resourceMetadataUrl = metadataUrl;
    return pass(`${sent}, Bearer resource_metadata="${metadataUrl}"`);
  },
};

/** A well-formed, unexpired JWT for this resource, signed by a key only this process has ever held. */
async function forgedTokens(audience: string, issuer: string): Promise<Record<string, string>> {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: issuer, aud: audience, sub: 'audit-forged', scope: 'mcp:read', iat: now, exp: now + 300 };
  const { privateKey } = await generateKeyPair('ES256');
  const es256 = await new SignJWT({ ...claims, jti: randomUUID() })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: `audit-${randomUUID()}` })
    .sign(privateKey);
  const encode = (value: object) => base64url.encode(JSON.stringify(value));
  // RFC 7519 §6: the unsecured form, which a verifier that lets the token choose its algorithm would accept.
  const none = `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode({ ...claims, jti: randomUUID() })}.`;
  return { 'ES256 by an unknown key': es256, 'alg none': none };
}

export const forgedTokenCheck: Check = {
  id: 'forged-token-401',
  title: 'POST /mcp with forged tokens: 401 invalid_token',
  async run(target) {
    const issuer = target.learnt.authorizationServers?.[0] ?? 'https://issuer.invalid';
    const answers: string[] = [];
    const problems: string[] = [];
    for (const [kind, token] of Object.entries(await forgedTokens(target.mcpUrl, issuer))) {
      const response = await postMcp(target, { token });
      const error = bearerChallengeParams(headerOf(response, 'www-authenticate'))?.error;
      answers.push(`${kind}: ${response.status}${error ? ` ${error}` : ''}`);
      if (response.status !== 401) problems.push(`${kind} answered ${response.status}, expected 401`);
      else if (error !== 'invalid_token')
        problems.push(`${kind}: challenge error is ${error ?? 'absent'}, expected invalid_token`);
    }
    const sent = `POST ${target.mcpUrl} with forged tokens (iss ${issuer}, aud the endpoint)`;
    return problems.length > 0 ? fail(`${sent}: ${problems.join('; ')}`) : pass(`${sent}: ${answers.join(', ')}`);
  },
};
