import pg from 'pg';
import { resolveConnectionConfig } from '../src/data/connection-config.js';
import {
  CALLER,
  COMMON_MODULUS,
  COMMON_RESIDUE,
  createdAt,
  NEWEST_ISO,
  PLANTED,
  type SeedPlan,
  SPACING_SECONDS,
  TENANT_COUNT,
} from './seed-plan.js';

/**
 * The benchmark's documents, written set-based as the database owner (INSERT ... SELECT over generate_series), not
 * row by row through the service. Reused while the marker table says the same plan is there.
 */

const MARKER_TABLE = 'bench_seed';
const BATCH = 100_000;

// Everyday words for bodies and titles; none contains a planted word (seed-plan.ts PLANTED).
const WORDS = `
  account action agenda analytics approval architecture archive audit backlog balance benchmark billing board
  branch budget build calendar campaign capacity catalog change checklist client cloud compliance contract cost
  customer dashboard database deadline delivery design deployment device draft engineering escalation estimate
  expense feature feedback finance forecast framework goal governance guideline hardware hiring holiday incident
  invoice kickoff launch legal license logistics maintenance manager margin marketing meeting metric migration
  milestone mobile network office onboarding operations outage partner payment payroll performance pipeline
  planning platform policy pricing priority process procurement product project proposal quality quarterly
  recovery region release report request requirement research retention revenue review risk roadmap rollout sales
  schedule security server service shipment software sprint staffing strategy supplier support survey team
  template testing ticket timeline training travel update upgrade vendor warehouse workflow workshop
`
  .trim()
  .split(/\s+/);
const TAGS = `
  finance hr legal sales marketing engineering security operations product support strategy compliance design
  research runbook incident
`
  .trim()
  .split(/\s+/);

export interface SeedOutcome {
  reused: boolean;
  seconds: number;
}

/** Seeds the plan unless the database already holds it (same plan in the marker and the same document count). */
export async function ensureSeeded(
  adminUrl: string,
  plan: SeedPlan,
  options: { log: (line: string) => void; maintenanceWorkMem?: string },
): Promise<SeedOutcome> {
  const client = connect(adminUrl);
  await client.connect();
  try {
    if (await holdsPlan(client, plan)) return { reused: true, seconds: 0 };
    const started = performance.now();
    await seed(client, plan, options);
    // After the commit: VACUUM cannot run in a transaction. It sets the visibility map (index-only scans) and the
    // statistics now, so autovacuum does not do it in the middle of a measurement.
    options.log('  vacuum analyze documents');
    await client.query('VACUUM (ANALYZE) documents');
    return { reused: false, seconds: (performance.now() - started) / 1000 };
  } finally {
    await client.end();
  }
}

async function holdsPlan(client: pg.Client, plan: SeedPlan): Promise<boolean> {
  const { rows } = await client.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [
    MARKER_TABLE,
  ]);
  if (!rows[0]?.present) return false;
  const marker = await client.query(`SELECT 1 FROM ${MARKER_TABLE} WHERE plan = $1::jsonb`, [JSON.stringify(plan)]);
  if (marker.rowCount !== 1) return false;
  // The marker alone could outlive its rows (documents deleted by hand): the count must agree too.
  const count = await client.query<{ n: string }>('SELECT count(*) AS n FROM documents');
  return Number(count.rows[0]?.n) === plan.documents;
}

async function seed(
  client: pg.Client,
  plan: SeedPlan,
  options: { log: (line: string) => void; maintenanceWorkMem?: string },
): Promise<void> {
  const { log } = options;
  const step = async (label: string, work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    log(`  ${label} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  };
  // One transaction: an interrupted seed leaves the previous state (indexes included) and no marker.
  await client.query('BEGIN');
  try {
    if (options.maintenanceWorkMem) {
      await client.query(`SET LOCAL maintenance_work_mem = ${client.escapeLiteral(options.maintenanceWorkMem)}`);
    }
    await client.query(`CREATE TABLE IF NOT EXISTS ${MARKER_TABLE} (
      plan jsonb NOT NULL, seeded_at timestamptz NOT NULL DEFAULT now(), seconds numeric)`);
    await client.query(`DELETE FROM ${MARKER_TABLE}`);
    await client.query('TRUNCATE documents');
    // Building the secondary indexes once over the whole table is several times faster than maintaining them row
    // by row; their definitions are read from the catalog and restored verbatim below.
    const { rows: indexes } = await client.query<{ name: string; definition: string }>(
      `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
         FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = 'public.documents'::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
    );
    for (const index of indexes) await client.query(`DROP INDEX ${client.escapeIdentifier(index.name)}`);
    await createTextTables(client);

    const started = performance.now();
    let written = 0;
    for (const [part, count] of [
      ['caller', plan.callerDocuments],
      ['others', plan.otherDocuments],
    ] as const) {
      for (let first = 0; first < count; first += BATCH) {
        const last = Math.min(first + BATCH, count) - 1;
        await client.query(insertStatement(client, plan, part), [first, last]);
        written += last - first + 1;
        log(`  ${written.toLocaleString('en-US')} of ${plan.documents.toLocaleString('en-US')} documents`);
      }
    }
    log(`  documents written (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    for (const index of indexes) await step(`index ${index.name}`, () => client.query(index.definition));
    await client.query(`INSERT INTO ${MARKER_TABLE} (plan, seconds) VALUES ($1::jsonb, $2)`, [
      JSON.stringify(plan),
      ((performance.now() - started) / 1000).toFixed(1),
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** 4,096 sentences of 12 words and 1,024 four-word title phrases, drawn from WORDS by a hash of their number. */
async function createTextTables(client: pg.Client): Promise<void> {
  const words = `(ARRAY[${WORDS.map((word) => client.escapeLiteral(word)).join(', ')}]::text[])`;
  const pick = (seed: string) => `${words}[1 + (hashint4(${seed}) & 2147483647) % ${WORDS.length}]`;
  await client.query(`CREATE TEMP TABLE bench_sentences ON COMMIT DROP AS
    SELECT n, (SELECT string_agg(${pick('n * 64 + k')}, ' ' ORDER BY k) FROM generate_series(1, 12) k) AS sentence
      FROM generate_series(0, 4095) n`);
  await client.query(`CREATE TEMP TABLE bench_phrases ON COMMIT DROP AS
    SELECT n, (SELECT string_agg(${pick('1000000 + n * 64 + k')}, ' ' ORDER BY k) FROM generate_series(1, 4) k) AS phrase
      FROM generate_series(0, 1023) n`);
  await client.query('CREATE UNIQUE INDEX ON bench_sentences (n)');
  await client.query('CREATE UNIQUE INDEX ON bench_phrases (n)');
}

/**
 * One batch: $1..$2 are positions in the caller's tenant ('caller'), or running numbers over the other tenants
 * ('others': number g is position g / 99 of tenant 1 + g % 99). Everything else is a function of (tenant, position).
 */
function insertStatement(client: pg.Client, plan: SeedPlan, part: 'caller' | 'others'): string {
  const literal = (value: string) => client.escapeLiteral(value);
  const others = TENANT_COUNT - 1;
  const rare = plan.rarePositions;
  // The other tenants carry every rare value in their newest document (position 0).
  const rareAt = (position: number) => (part === 'caller' ? String(position) : '0');
  const source =
    part === 'caller'
      ? 'SELECT 0 AS tenant, g AS pos FROM generate_series($1::integer, $2::integer) g'
      : `SELECT 1 + g % ${others} AS tenant, g / ${others} AS pos FROM generate_series($1::integer, $2::integer) g`;
  const common = (kind: keyof typeof COMMON_RESIDUE) => `src.pos % ${COMMON_MODULUS} = ${COMMON_RESIDUE[kind]}`;
  const tags = `(ARRAY[${TAGS.map(literal).join(', ')}]::text[])`;
  return `
    INSERT INTO documents (tenant_id, owner_id, title, body, tags, classification, created_at, updated_at)
    SELECT 'bench-t' || lpad(src.tenant::text, 2, '0'),
           CASE WHEN src.pos = ${rareAt(rare.owner)} THEN ${literal(PLANTED.rareOwner)}
                ELSE 'bench-u' || lpad((src.pos % ${COMMON_MODULUS})::text, 2, '0') END,
           'Bench document ' || src.pos || ': ' || phrase.phrase
             || CASE WHEN ${common('title')} THEN ${literal(` ${PLANTED.commonTitle}`)} ELSE '' END
             || CASE WHEN src.pos = ${rareAt(rare.title)} THEN ${literal(` ${PLANTED.rareTitle}`)} ELSE '' END,
           s1.sentence || '. ' || s2.sentence || '. ' || s3.sentence || '. ' || s4.sentence || '.'
             || CASE WHEN ${common('search')} THEN ${literal(` ${PLANTED.commonSearchTerm}.`)} ELSE '' END
             || CASE WHEN src.pos = ${rareAt(rare.search)} THEN ${literal(` ${PLANTED.rareSearchTerm}.`)} ELSE '' END,
           ARRAY[${tags}[1 + src.pos % 16], ${tags}[1 + (src.pos + 1 + (src.pos / 16) % 15) % 16]]
             || CASE WHEN ${common('tag')} THEN ARRAY[${literal(PLANTED.commonTag)}] ELSE '{}'::text[] END
             || CASE WHEN src.pos = ${rareAt(rare.tag)} THEN ARRAY[${literal(PLANTED.rareTag)}] ELSE '{}'::text[] END,
           CASE WHEN src.pos = ${rareAt(rare.classification)} THEN ${literal(PLANTED.rareClassification)}
                WHEN ${common('classification')} THEN ${literal(PLANTED.commonClassification)}
                WHEN src.pos % 3 = 0 THEN 'confidential'
                ELSE 'internal' END,
           ${literal(NEWEST_ISO)}::timestamptz - src.pos * interval '${SPACING_SECONDS} seconds',
           ${literal(NEWEST_ISO)}::timestamptz - src.pos * interval '${SPACING_SECONDS} seconds'
      FROM (${source}) src
      JOIN bench_phrases phrase ON phrase.n = hashint4(src.tenant * 1000003 + src.pos) & 1023
      JOIN bench_sentences s1 ON s1.n = hashint4(src.tenant * 1000003 + src.pos * 4) & 4095
      JOIN bench_sentences s2 ON s2.n = hashint4(src.tenant * 1000003 + src.pos * 4 + 1) & 4095
      JOIN bench_sentences s3 ON s3.n = hashint4(src.tenant * 1000003 + src.pos * 4 + 2) & 4095
      JOIN bench_sentences s4 ON s4.n = hashint4(src.tenant * 1000003 + src.pos * 4 + 3) & 4095`;
}

function connect(url: string): pg.Client {
  return new pg.Client({ ...resolveConnectionConfig(url), application_name: 'mcp-bench-seed' });
}

/** The id of the caller's document at `position` (the one get_document reads). */
export async function documentIdAt(adminUrl: string, position: number): Promise<string> {
  const client = connect(adminUrl);
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      'SELECT id FROM documents WHERE tenant_id = $1 AND created_at = $2',
      [CALLER.tenantId, createdAt(position)],
    );
    if (rows.length !== 1) throw new Error(`expected one document at position ${position}, found ${rows.length}`);
    return rows[0]!.id;
  } finally {
    await client.end();
  }
}

/**
 * Empties audit_events of the bench database, so every run inserts into a table of the same size. The table is
 * append-only by a trigger; only here, as its owner and in this database alone, is the trigger paused for it.
 */
export async function clearAuditEvents(adminUrl: string): Promise<void> {
  const client = connect(adminUrl);
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
    await client.query('TRUNCATE audit_events');
    await client.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
