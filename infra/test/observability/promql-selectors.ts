/**
 * Just enough PromQL lexing to list the series an expression selects: metric names, and the label names each
 * selector matches on. Not a parser (promtool checks the syntax); it only has to never miss a metric name.
 */

/** One vector/matrix selector: `name{label="value", ...}`. */
export interface PromqlSelector {
  metric: string;
  labels: string[];
}

/** Words that look like identifiers but name no series. */
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'atan2',
  'inf',
  'nan',
]);

/** Modifiers followed by a parenthesised list of label names, which are not metric names. */
const LABEL_LIST = /\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g;

const TOKEN =
  /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|\{(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|[^}"'`])*\}|\[[^\]]*\]|\$\{?\w+(?::\w+)?\}?|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[a-zA-Z]*|[a-zA-Z_:][a-zA-Z0-9_:]*|\s+|./gs;

const MATCHER = /([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)/g;

function labelMatchers(block: string): { labels: string[]; metricName?: string } {
  const labels: string[] = [];
  let metricName: string | undefined;
  for (const [, label = '', op = '', quoted = ''] of block.matchAll(MATCHER)) {
    if (label === '__name__' && op === '=') metricName = quoted.slice(1, -1);
    else labels.push(label);
  }
  return { labels, metricName };
}

/** Every selector of a PromQL expression (Grafana's `$variables` tolerated), in order of appearance. */
export function promqlSelectors(expr: string): PromqlSelector[] {
  const withoutLabelLists = expr.replace(LABEL_LIST, '$1 ()');
  const tokens = withoutLabelLists.match(TOKEN) ?? [];
  const selectors: PromqlSelector[] = [];
  const next = (from: number) => {
    for (let i = from; i < tokens.length; i++) if (!/^\s+$/.test(tokens[i] ?? '')) return { token: tokens[i], i };
    return { token: undefined, i: tokens.length };
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (token.startsWith('{')) {
      // A selector with no name before it: `{__name__="x", ...}`.
      const { labels, metricName } = labelMatchers(token);
      if (metricName) selectors.push({ metric: metricName, labels });
      continue;
    }
    if (!/^[a-zA-Z_:]/.test(token) || KEYWORDS.has(token)) continue;
    const following = next(i + 1);
    // A function call, or an aggregation (`sum(...)`, `sum by (le) (...)`).
    if (following.token === '(' || following.token === 'by' || following.token === 'without') continue;
    if (following.token?.startsWith('{')) {
      selectors.push({ metric: token, labels: labelMatchers(following.token).labels });
      i = following.i;
    } else {
      selectors.push({ metric: token, labels: [] });
    }
  }
  return selectors;
}

export function promqlMetricNames(expr: string): string[] {
  return [...new Set(promqlSelectors(expr).map((selector) => selector.metric))];
}
