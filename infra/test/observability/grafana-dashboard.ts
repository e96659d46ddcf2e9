import { MCP_SERVER_DASHBOARD_JSON } from '../../kubernetes/observability/dashboards';

/** The parts of a Grafana dashboard JSON model the tests read. */
export interface DashboardPanel {
  id: number;
  type: string;
  title?: string;
  datasource?: { type?: string; uid?: string };
  gridPos?: { h: number; w: number; x: number; y: number };
  targets?: { refId?: string; expr?: string; datasource?: { type?: string; uid?: string } }[];
  /** A collapsed row keeps its panels here. */
  panels?: DashboardPanel[];
}

export interface DashboardVariable {
  name: string;
  type: string;
  query?: string | { query?: string };
}

export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: DashboardPanel[];
  templating: { list: DashboardVariable[] };
}

export function loadMcpServerDashboard(): Dashboard {
  return JSON.parse(MCP_SERVER_DASHBOARD_JSON) as Dashboard;
}

/** Every panel, those inside collapsed rows included. */
export function allPanels(dashboard: Dashboard): DashboardPanel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** Rows only group panels; every other panel shows data and so needs a query. */
export const isRow = (panel: DashboardPanel) => panel.type === 'row';

/** The selector of a `label_values(<selector>, <label>)` variable query, if it is one. */
export function labelValuesSelector(variable: DashboardVariable): string | undefined {
  const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
  return (query && /^label_values\((.*),\s*\w+\)$/.exec(query)?.[1]) || undefined;
}
