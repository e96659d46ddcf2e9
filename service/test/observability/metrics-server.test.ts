import { connect } from 'node:net';
import { Gauge, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV, PATHS } from '../../src/contract.js';
import { type MetricsServer, startMetricsServer } from '../../src/observability/metrics-server.js';
import { rawRequest } from '../helpers/raw-http.js';
import { type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';

/** A request with no Host header at all (HTTP/1.0 allows it; Node's client always sends one). */
function requestWithoutHost(address: string): Promise<string> {
  const { hostname, port } = new URL(address);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(`GET ${PATHS.metrics} HTTP/1.0\r\n\r\n`));
    let response = '';
    socket.on('data', (chunk: Buffer) => {
      response += chunk.toString();
    });
    socket.on('end', () => resolve(response.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

describe('metrics listener: Host check', () => {
  let server: MetricsServer;
  let port: string;

  beforeAll(async () => {
    const registry = new Registry();
    new Gauge({ name: 'test_secret_gauge', help: 'Something a rebinding page must not read.', registers: [registry] });
    server = await startMetricsServer({ registry, host: '127.0.0.1', port: 0 });
    port = new URL(server.address).port;
  });
  afterAll(async () => {
    await server?.close();
  });

  const scrapeAs = (host: string) => rawRequest(`${server.address}${PATHS.metrics}`, { headers: { host } });

  it('answers a scrape addressed by IP (Prometheus scrapes the pod IP) or by localhost', async () => {
    for (const host of [`127.0.0.1:${port}`, '10.244.3.17:9464', `localhost:${port}`, 'LOCALHOST', `[::1]:${port}`]) {
      const response = await scrapeAs(host);
      expect(response.status, host).toBe(200);
      expect(response.body).toContain('test_secret_gauge');
    }
  });

  it('refuses a request addressed by any other name (DNS rebinding) before reading a metric', async () => {
    for (const host of [
      `evil.example.com:${port}`,
      'evil.example.com',
      `127.0.0.1.nip.io:${port}`,
      `attacker@127.0.0.1:${port}`,
      `[evil]:${port}`,
      `localhost.:${port}`,
    ]) {
      const response = await scrapeAs(host);
      expect(response.status, host).toBe(403);
      expect(response.body).not.toContain('test_secret_gauge');
    }
    expect(await requestWithoutHost(server.address)).toMatch(/^HTTP\/1\.[01] 403 /);
  });
});

describe('metrics listener: its own bind address', () => {
  let target: ServiceUnderTest;

  beforeAll(async () => {
    // The service on 127.0.0.1, its metrics on another loopback address: METRICS_HOST, not HOST, decides.
    target = await startServiceUnderTest({ backend: 'embedded', env: { [ENV.metricsHost]: '127.0.0.2' } });
  });
  afterAll(async () => {
    await target?.close();
  });

  it('listens on METRICS_HOST', async () => {
    expect(new URL(target.baseUrl).hostname).toBe('127.0.0.1');
    expect(new URL(target.service.metricsAddress).hostname).toBe('127.0.0.2');
    expect((await rawRequest(`${target.service.metricsAddress}${PATHS.metrics}`)).status).toBe(200);
  });
});
