import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, loadConfig } from './config.js';
import { startService } from './start-service.js';

/** EX_CONFIG from sysexits.h: the orchestrator sees a configuration failure, not a crash. */
const EXIT_CONFIG = 78;

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }

  let service: Awaited<ReturnType<typeof startService>>;
  try {
    service = await startService(config);
  } catch (error) {
    // A secret the configuration names but no source has (e.g. missing from Key Vault) is a configuration error too.
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
  service.app.log.info(
    { metrics: service.metricsAddress, tracing: service.telemetry.tracing.enabled ? 'otlp' : 'off' },
    'telemetry ready',
  );
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    service.app.log.info({ signal }, 'draining');
    // Readiness turns 503 first; the pause lets the endpoints controller and Kong stop routing here
    // before the listener closes, so no request is refused mid-rollout.
    service.lifecycle.draining = true;
    await sleep(config.drainSeconds * 1000);
    await service.stop();
    service.app.log.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`mcp-server failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
