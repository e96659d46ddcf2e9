import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
// node-postgres's own SCRAM client: an independent implementation to check the verifier against.
import { continueSession, finalizeSession, startSession } from 'pg/lib/crypto/sasl.js';
import { describe, expect, it } from 'vitest';
import { scramSha256Verifier } from '../../src/data/password-verifier.js';

/** Plays the server's side of a SCRAM-SHA-256 exchange with only the stored verifier, as Postgres does. */
async function clientAuthenticates(verifier: string, password: string): Promise<boolean> {
  const match = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier);
  if (!match) throw new Error(`not a SCRAM verifier: ${verifier}`);
  const [, iterations, salt, storedKeyB64, serverKeyB64] = match as unknown as [string, string, string, string, string];
  const session = startSession(['SCRAM-SHA-256']);
  const serverFirst = `r=${session.clientNonce}server-nonce,s=${salt},i=${iterations}`;
  await continueSession(session, password, serverFirst);
  const clientFinal: string = session.response;
  const withoutProof = clientFinal.slice(0, clientFinal.lastIndexOf(',p='));
  const proof = Buffer.from(clientFinal.slice(clientFinal.lastIndexOf(',p=') + 3), 'base64');
  const authMessage = `n=*,r=${session.clientNonce},${serverFirst},${withoutProof}`;
  const storedKey = Buffer.from(storedKeyB64, 'base64');
  const clientSignature = createHmac('sha256', storedKey).update(authMessage).digest();
  const clientKey = Buffer.from(proof.map((byte, i) => byte ^ (clientSignature[i] ?? 0)));
  if (!timingSafeEqual(createHash('sha256').update(clientKey).digest(), storedKey)) return false;
  const serverSignature = createHmac('sha256', Buffer.from(serverKeyB64, 'base64')).update(authMessage).digest();
  finalizeSession(session, `v=${serverSignature.toString('base64')}`);
  return true;
}

describe('scramSha256Verifier', () => {
  it('produces a verifier the node-postgres client authenticates against with the right password only', async () => {
    const verifier = scramSha256Verifier('correct horse battery staple');
    expect(verifier).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(await clientAuthenticates(verifier, 'correct horse battery staple')).toBe(true);
    expect(await clientAuthenticates(verifier, 'correct horse battery stapler')).toBe(false);
  });

  it('salts every verifier differently and normalises the password as the client does', async () => {
    expect(scramSha256Verifier('same password')).not.toBe(scramSha256Verifier('same password'));
    // U+00A0 (no-break space) and the "ﬁ" ligature are mapped by SASLprep on both sides.
    const verifier = scramSha256Verifier('pass\u00A0word \uFB01le');
    expect(await clientAuthenticates(verifier, 'pass word file')).toBe(true);
  });
});
