import type pg from 'pg';

/**
 * Readiness probe: resolves when a pooled connection answers a query, throws otherwise. A saturated pool also
 * fails (after the pool's connection timeout), which is the right signal to take the pod out of rotation.
 */
export async function checkDatabase(pool: pg.Pool): Promise<void> {
  await pool.query('SELECT 1');
}
