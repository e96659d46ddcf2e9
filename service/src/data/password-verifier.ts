import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

const SCRAM_ITERATIONS = 4096;
const SALT_BYTES = 16;

/**
 * The SCRAM-SHA-256 verifier Postgres stores for a password (the format of pg_authid.rolpassword).
 * Sending the verifier instead of the password in ALTER ROLE keeps the clear password out of the server's
 * statement logs and pg_stat_statements, as psql's \password does. The password is normalised like Postgres and
 * node-postgres do (the byte-changing steps of SASLprep), so both sides derive the same keys.
 */
export function scramSha256Verifier(password: string, salt: Buffer = randomBytes(SALT_BYTES)): string {
  const saltedPassword = pbkdf2Sync(saslPrepare(password), salt, SCRAM_ITERATIONS, 32, 'sha256');
  const clientKey = createHmac('sha256', saltedPassword).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', saltedPassword).update('Server Key').digest();
  return `SCRAM-SHA-256$${SCRAM_ITERATIONS}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

// RFC 4013 mapping: non-ASCII spaces to U+0020, "commonly mapped to nothing" characters removed, then NFKC.
function saslPrepare(password: string): string {
  return password
    .replace(/[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/g, ' ')
    .replace(/\u00AD|\u034F|\u1806|[\u180B-\u180D]|\u200C|\u200D|\u2060|[\uFE00-\uFE0F]|\uFEFF/g, '')
    .normalize('NFKC');
}
