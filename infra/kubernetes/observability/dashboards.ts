import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Grafana dashboards as code: JSON files next to this module, shipped verbatim in a ConfigMap the Grafana sidecar
 * provisions (infra/kubernetes/service-monitoring.ts). Read once at module load, so a missing or broken file fails
 * the program at start rather than a deploy later.
 */
export const DASHBOARD_DIRECTORY = join(__dirname, 'dashboards');

function readDashboard(file: string): string {
  const path = join(DASHBOARD_DIRECTORY, file);
  const text = readFileSync(path, 'utf8');
  try {
    JSON.parse(text);
  } catch (error) {
    throw new Error(`Grafana dashboard ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return text;
}

/** The service dashboard (uid `mcp-server`): traffic, latency, tools, auth, rate limits, database pool, process. */
export const MCP_SERVER_DASHBOARD_JSON: string = readDashboard('mcp-server.json');
