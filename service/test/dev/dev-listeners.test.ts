import { createServer } from 'node:net';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../../src/contract.js';
import { assertPortFree, devListeners, portInUseMessage } from '../../src/dev/dev-listeners.js';
import { type MetricsServer, startMetricsServer } from '../../src/observability/metrics-server.js';
import { freePort } from '../helpers/free-port.js';

describe('npm run dev listeners', () => {
  const servers: MetricsServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  it('honours METRICS_PORT and METRICS_HOST, and otherwise picks a free loopback port for metrics', () => {
    const defaults = devListeners({});
    expect(defaults).toMatchObject({ port: 8080, metricsPort: 0, metricsHost: '127.0.0.1', issuerPort: 8090 });
    expect(defaults.resource).toBe('http://127.0.0.1:8080/mcp');
    const second = devListeners({
      [ENV.port]: '8081',
      [ENV.devIssuerPort]: '8091',
      [ENV.metricsPort]: '9465',
      [ENV.metricsHost]: '0.0.0.0',
    });
    expect(second).toMatchObject({ port: 8081, metricsPort: 9465, metricsHost: '0.0.0.0', issuerPort: 8091 });
    expect(devListeners({ [ENV.host]: '::1' }).resource).toBe('http://[::1]:8080/mcp');
  });

  it('two dev servers with the default metrics port listen side by side', async () => {
    const { metricsPort, metricsHost } = devListeners({});
    for (let i = 0; i < 2; i++) {
      servers.push(await startMetricsServer({ registry: new Registry(), host: metricsHost, port: metricsPort }));
    }
    const [first, second] = servers.map((server) => new URL(server.address).port);
    expect(first).not.toBe(second);
  });

  it('names the variable of a port already taken, with what to do about it', async () => {
    const taken = await startMetricsServer({ registry: new Registry(), host: '127.0.0.1', port: 0 });
    servers.push(taken);
    const listeners = devListeners({ [ENV.metricsPort]: new URL(taken.address).port });
    const failure = await startMetricsServer({
      registry: new Registry(),
      host: listeners.metricsHost,
      port: listeners.metricsPort,
    }).catch((error: unknown) => error);

    const message = portInUseMessage(failure, listeners);
    expect(message).toContain(`${ENV.metricsPort}=${listeners.metricsPort} is already in use`);
    expect(message).toContain(`${ENV.devIssuerPort}=`);
    expect(portInUseMessage(new Error('something else'), listeners)).toBeUndefined();
  });

  it('finds a taken port before the dev server opens its database, and names the setting to change', async () => {
    const port = await freePort();
    await expect(assertPortFree(port, '127.0.0.1')).resolves.toBeUndefined();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    try {
      const refusal = await assertPortFree(port, '127.0.0.1').catch((error: unknown) => error);
      expect(portInUseMessage(refusal, devListeners({ [ENV.port]: String(port) }))).toMatch(
        new RegExp(`^${ENV.port}=${port} is already in use`),
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
