/**
 * `npm run bench`: the production build of the service against the SDK's documented stateless example, each in its
 * own process, loaded by autocannon from a third; prints the figures and whether the goals of issue 11 are met.
 * Exits 0 whatever the figures; 1 only when the harness itself fails (a server does not start, an answer is wrong),
 * 2 on a wrong option.
 * Options: see USAGE in options.ts.
 */
import { cpus, totalmem } from 'node:os';
import pg from 'pg';
import { SERVICE_NODE_OPTIONS } from '../src/contract.js';
import { resolveConnectionConfig } from '../src/data/connection-config.js';
import { type BenchDatabase, findRedis, openDatabase } from './backends.js';
import { evaluateGoals, formatGoal, ratio } from './goals.js';
import { startIssuer } from './issuer.js';
import { type LoadResult, runLoad } from './load.js';
import { mcpHeaders, postRpc, rpcBody } from './mcp-call.js';
import { createMemoryLimit, type MemoryLimit } from './memory-limit.js';
import { type BenchOptions, parseBenchOptions, USAGE } from './options.js';
import { type Placement, residentBytes, spawnTypeScript, stopAll, stopChildrenOnExit } from './processes.js';
import { mebibytes, tableHeader, tableRow } from './report.js';
import { buildScenarios, getDocumentProblem, soakMessages, type Target, toolCall } from './scenarios.js';
import { clearAuditEvents, documentIdAt, ensureSeeded } from './seed.js';
import { CALLER, seedPlan } from './seed-plan.js';
import { buildService, startServiceProcess } from './service-process.js';
import { soak, soakEnds } from './soak.js';

const DEFAULT_DOCUMENTS = { server: 1_000_000, embedded: 20_000 } as const;
/** A day: longer than any run, soak included. */
const TOKEN_LIFETIME_SECONDS = 86_400;

/** The memory cgroups made for this run, removed at its end. */
const memoryGroups: MemoryLimit[] = [];

const log = (line = '') => process.stdout.write(`${line}\n`);

async function run(options: BenchOptions): Promise<boolean> {
  log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${mebibytesOf(totalmem())} RAM`);
  log(
    `node ${process.version}; ${options.connections} connections, ${options.seconds} s per scenario after ${options.warmupSeconds} s warm-up`,
  );

  if (options.build) {
    log('\nbuilding service/dist (npm run build)');
    buildService();
  }

  const database = await openDatabase({ embedded: options.embedded, fresh: options.fresh, log });
  try {
    return await runOnDatabase(options, database);
  } finally {
    await stopAll();
    // Once their processes are gone: a cgroup with a member cannot be removed.
    for (const group of memoryGroups) group.remove();
    await database.close();
  }
}

/**
 * One memory cgroup per server, each as its own pod would have. Printed either way: without one the RSS figures are
 * not what a pod would show.
 */
function memoryLimits(quantity: string | undefined): Record<'service' | 'reference', Placement> {
  if (quantity === undefined) {
    log("memory limit: none (--memory-limit none): V8 sizes its heap for the whole machine, RSS is not a pod's");
    return { service: {}, reference: {} };
  }
  const placements = { service: {}, reference: {} } as Record<'service' | 'reference', Placement>;
  for (const server of ['service', 'reference'] as const) {
    const limit = createMemoryLimit(quantity, `mcp-bench-${process.pid}-${server}`);
    if ('unavailable' in limit) {
      log(`memory limit: none, a cgroup could not be made (${limit.unavailable}): RSS is not a pod's`);
      return { service: {}, reference: {} };
    }
    memoryGroups.push(limit);
    placements[server] = { cgroupProcs: limit.procsFile };
    if (server === 'service') log(`memory limit: each server ${limit.describe.replace(`-${server}`, '-<server>')}`);
  }
  return placements;
}

async function runOnDatabase(options: BenchOptions, database: BenchDatabase): Promise<boolean> {
  log(`database: ${database.description}, ${await serverVersion(database.adminUrl)}`);
  if (database.kind === 'embedded') {
    log('  EMBEDDED POSTGRES: one connection, single-threaded; the figures are not comparable with a server run');
  }
  const plan = seedPlan(options.documents ?? DEFAULT_DOCUMENTS[database.kind]);
  log(
    `\nseed: ${plan.documents.toLocaleString('en-US')} documents in 100 tenants, the caller's (${CALLER.tenantId}) ` +
      `holding ${plan.callerDocuments.toLocaleString('en-US')}`,
  );
  const seeded = await ensureSeeded(database.adminUrl, plan, {
    log,
    maintenanceWorkMem: database.kind === 'server' ? '1GB' : undefined,
  });
  log(seeded.reused ? '  seed reused' : `  seeded in ${seeded.seconds.toFixed(1)} s`);
  if (!database.persistent) log('  (in memory: seeded again on every run)');
  await clearAuditEvents(database.adminUrl);
  log('  audit_events of earlier runs cleared');
  const documentId = await documentIdAt(database.adminUrl, plan.samplePosition);

  const redis = await findRedis();
  log(`redis: ${redis.note}`);

  const limits = memoryLimits(options.memoryLimit);
  const issuer = await startIssuer();
  const service = await startServiceProcess({
    database,
    redisUrl: redis.url,
    issuer: issuer.issuer,
    placement: limits.service,
  });
  const reference = spawnTypeScript('reference', 'reference-server.ts', [], {}, limits.reference);
  const { url: referenceUrl } = await reference.nextJson<{ url: string }>(30_000);
  log(`\nservice:   node dist/main.js (pid ${service.child.pid}), ${service.mcpUrl}`);
  log(`           /ready ${Math.round(service.readyMs)} ms after spawn (migrations excluded: they ran before)`);
  log(
    `           RSS at ready ${mebibytes(service.readyRss)}; NODE_OPTIONS=${SERVICE_NODE_OPTIONS} as in its container`,
  );
  log(`reference: the SDK's stateless Fastify example (pid ${reference.pid}), ${referenceUrl}`);
  log('           runs under tsx: the loader costs start-up time only');
  log(`issuer:    development issuer (pid ${issuer.child.pid}), ${issuer.issuer}`);

  const token = await issuer.mint({
    subject: CALLER.subject,
    tenantId: CALLER.tenantId,
    scopes: CALLER.scopes,
    roles: [...CALLER.roles],
    audience: service.mcpUrl,
    expiresInSeconds: TOKEN_LIFETIME_SECONDS,
  });
  const headers = mcpHeaders(token);
  const urls = { service: service.mcpUrl, reference: referenceUrl };

  await compareServers(urls, headers, documentId);
  const firstPage = await postRpc(service.mcpUrl, headers, toolCall('list_documents', { limit: 20 }));
  const cursor = (firstPage.result?.structuredContent as { nextCursor?: string } | undefined)?.nextCursor;
  if (!cursor) throw new Error(`the first page of list_documents has no nextCursor: ${firstPage.raw.slice(0, 500)}`);
  const scenarios = buildScenarios({ plan, documentId, cursor });
  const selected = scenarios.filter(
    (scenario) => options.only.length === 0 || options.only.some((part) => scenario.name.includes(part)),
  );

  log(`\n${tableHeader()}`);
  const results = new Map<string, LoadResult>();
  let wrongAnswers = 0;
  for (const scenario of selected) {
    const url = urls[scenario.target];
    const problem = scenario.problem(await postRpc(url, headers, scenario.message));
    if (problem) {
      wrongAnswers += 1;
      log(`${scenario.name.padEnd(20)} NOT MEASURED: ${problem}`);
      continue;
    }
    const result = await runLoad({
      url,
      connections: options.connections,
      seconds: options.seconds,
      warmupSeconds: options.warmupSeconds,
      headers,
      bodies: [rpcBody(scenario.message)],
    });
    results.set(scenario.name, result);
    log(tableRow(scenario.name, result));
  }

  let serviceRss = residentBytes(service.child.pid);
  log('\nRSS after the scenarios');
  log(`  service   ${mebibytes(serviceRss)}`);
  log(`  reference ${mebibytes(residentBytes(reference.pid))}`);
  log(`  issuer    ${mebibytes(residentBytes(issuer.child.pid))}`);

  let soakFigures: ReturnType<typeof soakEnds>;
  if (options.soakSeconds > 0) {
    log(`\nsoak: ${options.soakSeconds} s of mixed load at ${options.connections} connections on the service`);
    const outcome = await soak(
      {
        url: service.mcpUrl,
        connections: options.connections,
        seconds: options.soakSeconds,
        warmupSeconds: 0,
        headers,
        bodies: soakMessages(scenarios).map(rpcBody),
      },
      service.child.pid,
      (atSeconds, bytes) => log(`  ${String(atSeconds).padStart(5)} s  RSS ${mebibytes(bytes)}`),
    );
    log(`${tableHeader()}\n${tableRow('soak (mixed)', outcome.load)}`);
    soakFigures = soakEnds(outcome.samples);
    serviceRss = residentBytes(service.child.pid) ?? serviceRss;
  }

  printRatios(results);
  log('\ngoals (reported, not enforced)');
  for (const line of evaluateGoals({
    scenarios,
    results,
    readyMs: service.readyMs,
    serviceRssBytes: serviceRss,
    soak: soakFigures,
  })) {
    log(formatGoal(line));
  }
  if (wrongAnswers > 0) log(`\n${wrongAnswers} scenario(s) answered wrongly and were not measured: see above`);
  return wrongAnswers === 0;
}

/**
 * Before any load: both servers list the same tools, and both answer get_document with content its output schema
 * accepts (the reference's constant included). Whatever --only selects.
 */
async function compareServers(
  urls: Record<Target, string>,
  headers: Record<string, string>,
  documentId: string,
): Promise<void> {
  const names = async (url: string) => {
    const answer = await postRpc(url, headers, { method: 'tools/list' });
    const tools = (answer.result?.tools ?? []) as Array<{ name: string }>;
    return tools.map((tool) => tool.name).sort();
  };
  const [service, reference] = [await names(urls.service), await names(urls.reference)];
  if (service.join() !== reference.join() || service.length === 0) {
    throw new Error(
      `the servers list different tools: service [${service.join(', ')}], reference [${reference.join(', ')}]`,
    );
  }
  for (const target of ['service', 'reference'] as const) {
    const problem = getDocumentProblem(
      await postRpc(urls[target], headers, toolCall('get_document', { id: documentId })),
    );
    if (problem) throw new Error(`${target}: get_document ${problem}`);
  }
  log(`checked: both servers list the same ${service.length} tools and answer get_document with valid content`);
}

function printRatios(results: ReadonlyMap<string, LoadResult>): void {
  const times = (value: number | undefined) => (value === undefined ? '—' : `${value.toFixed(2)}×`);
  const ms = (value: number | undefined) => (value === undefined ? '—' : `${value} ms`);
  log('\nratios');
  log(`  list/ref           ${times(ratio(results, 'svc tools/list', 'ref tools/list'))}`);
  log(`  get/ref            ${times(ratio(results, 'svc get_document', 'ref get_document'))}`);
  log(`  search-rare p99    ${ms(results.get('search rare')?.p99Ms)}`);
  log(`  search-common p99  ${ms(results.get('search common')?.p99Ms)}`);
}

async function serverVersion(adminUrl: string): Promise<string> {
  const client = new pg.Client(resolveConnectionConfig(adminUrl));
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return `PostgreSQL ${rows[0]?.server_version ?? '?'}`;
  } finally {
    await client.end();
  }
}

function mebibytesOf(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

async function main(): Promise<void> {
  stopChildrenOnExit();
  let options: ReturnType<typeof parseBenchOptions>;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (options === 'help') {
    log(USAGE);
    return;
  }
  const ok = await run(options);
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  void stopAll().finally(() => process.exit(1));
});
