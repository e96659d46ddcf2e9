import { createHash } from 'node:crypto';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { errors } from 'oidc-provider';
import type pg from 'pg';
import type { RevokedGrants } from './revoked-grants.js';

/**
 * Models whose payload keeps its id: a client id is public, and oidc-provider finds sessions by uid and then needs the
 * session's id back. A session id alone signs no one in: the browser presents it in a cookie signed with the cookie
 * keys, which live in Key Vault, not in this table.
 */
const ID_KEEPING_MODELS: ReadonlySet<string> = new Set(['Client', 'Session']);

/** How often expired records are deleted; oidc-provider never reads them again (find filters them anyway). */
export const EXPIRED_RECORD_SWEEP_MS = 10 * 60 * 1_000;

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

interface RecordRow {
  payload: AdapterPayload;
  consumed_at: Date | null;
}

/**
 * oidc-provider's storage in Postgres (migration 0009). The id of most records is a bearer secret (a refresh token, an
 * authorization code, a session cookie value): only its SHA-256 is stored and the payload is stored without `jti`, so
 * the table alone yields no usable token. Consumption is a timestamp: oidc-provider's refresh-token rotation reads it
 * to detect reuse (a consumed refresh token presented again revokes its whole grant through `revokeByGrantId`).
 */
export class PostgresAdapter implements Adapter {
  constructor(
    private readonly pool: pg.Pool,
    private readonly model: string,
    private readonly revokedGrants?: RevokedGrants,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const stored: AdapterPayload = { ...payload };
    if (!ID_KEEPING_MODELS.has(this.model)) delete stored.jti;
    delete stored.consumed;
    const expiresAt = expiresIn === undefined ? null : new Date(Date.now() + expiresIn * 1_000);
    await this.pool.query(
      `INSERT INTO oauth_records (model, id_hash, payload, grant_id, uid, user_code_hash, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (model, id_hash) DO UPDATE
         SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id, uid = EXCLUDED.uid,
             user_code_hash = EXCLUDED.user_code_hash, expires_at = EXCLUDED.expires_at`,
      [
        this.model,
        sha256(id),
        stored,
        // A grant is its own grant: revokeByGrantId removes it together with its codes and tokens.
        payload.grantId ?? (this.model === 'Grant' ? id : null),
        payload.uid ?? null,
        payload.userCode === undefined ? null : sha256(payload.userCode),
        expiresAt,
      ],
    );
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('id_hash = $2', sha256(id), id);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const { rows } = await this.pool.query<RecordRow>(
      `SELECT payload, consumed_at FROM oauth_records
       WHERE model = $1 AND uid = $2 AND (expires_at IS NULL OR expires_at > now())`,
      [this.model, uid],
    );
    return rows[0] === undefined ? undefined : withConsumed(rows[0]);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    // The device flow is not enabled; kept for the interface.
    const { rows } = await this.pool.query<RecordRow>(
      `SELECT payload, consumed_at FROM oauth_records
       WHERE model = $1 AND user_code_hash = $2 AND (expires_at IS NULL OR expires_at > now())`,
      [this.model, sha256(userCode)],
    );
    return rows[0] === undefined ? undefined : withConsumed(rows[0]);
  }

  /**
   * Atomic: of two requests redeeming one authorization code (or refresh token) at the same moment, oidc-provider's
   * own check (read, then consume) lets both through; here only one row update can win, and the other request fails
   * as a reuse, with the grant revoked as oidc-provider does for a reuse it sees.
   */
  async consume(id: string): Promise<void> {
    const { rows } = await this.pool.query<{ grant_id: string | null }>(
      `UPDATE oauth_records SET consumed_at = now()
       WHERE model = $1 AND id_hash = $2 AND consumed_at IS NULL RETURNING grant_id`,
      [this.model, sha256(id)],
    );
    if (rows.length > 0) return;
    const { rows: lost } = await this.pool.query<{ grant_id: string | null }>(
      'SELECT grant_id FROM oauth_records WHERE model = $1 AND id_hash = $2',
      [this.model, sha256(id)],
    );
    const grantId = lost[0]?.grant_id;
    if (grantId) await this.revokeByGrantId(grantId);
    // oidc-provider's own wording for a reuse it sees, so the audit names a lost race as the reuse it is.
    throw new errors.InvalidGrant(
      this.model === 'RefreshToken' ? 'refresh token already used' : `${this.model} already consumed`,
    );
  }

  async destroy(id: string): Promise<void> {
    await this.pool.query('DELETE FROM oauth_records WHERE model = $1 AND id_hash = $2', [this.model, sha256(id)]);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    // Every model of the grant at once (oidc-provider calls this once per model): codes, refresh tokens, the grant.
    // The grant's account and client are kept a moment for the audit of the revocation (provider-audit.ts).
    const { rows } = await this.pool.query<{ account_id: string | null; client_id: string | null }>(
      `DELETE FROM oauth_records WHERE grant_id = $1
       RETURNING payload->>'accountId' AS account_id, payload->>'clientId' AS client_id`,
      [grantId],
    );
    const owner = rows.find((row) => row.account_id !== null && row.client_id !== null);
    if (owner)
      this.revokedGrants?.remember(grantId, {
        accountId: owner.account_id as string,
        clientId: owner.client_id as string,
      });
  }

  private async findWhere(condition: string, key: Buffer, id: string): Promise<AdapterPayload | undefined> {
    const { rows } = await this.pool.query<RecordRow>(
      `SELECT payload, consumed_at FROM oauth_records
       WHERE model = $1 AND ${condition} AND (expires_at IS NULL OR expires_at > now())`,
      [this.model, key],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    const payload = withConsumed(row);
    return ID_KEEPING_MODELS.has(this.model) ? payload : { ...payload, jti: id };
  }
}

function withConsumed(row: RecordRow): AdapterPayload {
  return row.consumed_at === null
    ? row.payload
    : { ...row.payload, consumed: Math.floor(row.consumed_at.getTime() / 1_000) };
}

/** Deletes records that expired more than a minute ago; returns how many. */
export async function deleteExpiredRecords(pool: pg.Pool): Promise<number> {
  const result = await pool.query("DELETE FROM oauth_records WHERE expires_at < now() - interval '1 minute'");
  return result.rowCount ?? 0;
}
