/**
 * Exposure by address arithmetic, not by string match: how many public Internet addresses a set of address specs
 * (CIDRs, single addresses, start-end ranges, NSG service tags) admits, and which ports a port spec opens.
 * `0.0.0.0/1` + `128.0.0.0/1`, `0.0.0.1-255.255.255.255` and `Internet` all count as the whole Internet;
 * `10.0.0.0/8` counts as nothing. Parsing is ipaddr.js's; the interval arithmetic is BigInt over IPv4 and IPv6 apart.
 */
import type { PolicyConfigJSONSchema } from '@pulumi/policy/schema';
import ipaddr from 'ipaddr.js';

type Family = 'ipv4' | 'ipv6';

/** A closed interval of addresses of one family, as integers. */
interface Interval {
  family: Family;
  start: bigint;
  end: bigint;
}

/** NSG service tags and wildcards that mean "any address on the Internet" (case-insensitive). */
const WHOLE_INTERNET_TAGS: ReadonlySet<string> = new Set(['*', 'any', 'internet', 'azurecloud']);

/** Address blocks that are not public Internet addresses (RFC 6890 special-purpose, private, multicast, reserved). */
const NOT_PUBLIC_CIDRS = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '224.0.0.0/4',
  '240.0.0.0/4',
];
/** IPv6: only global unicast (2000::/3) is public. */
const IPV6_GLOBAL_UNICAST = '2000::/3';

function toBigInt(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return address.toByteArray().reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
}

function widthOf(family: Family): number {
  return family === 'ipv4' ? 32 : 128;
}

function cidrInterval(text: string): Interval | undefined {
  if (!ipaddr.isValidCIDR(text)) return undefined;
  const [address, prefix] = ipaddr.parseCIDR(text);
  const family: Family = address.kind();
  const host = BigInt(widthOf(family) - prefix);
  const start = (toBigInt(address) >> host) << host;
  return { family, start, end: start + (1n << host) - 1n };
}

function addressInterval(text: string): Interval | undefined {
  if (!ipaddr.isValid(text)) return undefined;
  const address = ipaddr.parse(text);
  const value = toBigInt(address);
  return { family: address.kind(), start: value, end: value };
}

/** The interval of an address spec, or undefined when it is no address (a service tag such as VirtualNetwork). */
export function intervalOf(spec: string): Interval | undefined {
  const text = spec.trim();
  const lower = text.toLowerCase();
  // AzureCloud and its regional forms (AzureCloud.westeurope): the public addresses of every tenant's Azure resources.
  if (WHOLE_INTERNET_TAGS.has(lower) || lower.startsWith('azurecloud.')) {
    return { family: 'ipv4', start: 0n, end: (1n << 32n) - 1n };
  }
  if (text.includes('/')) return cidrInterval(text);
  const dash = text.indexOf('-');
  if (dash > 0) {
    const from = addressInterval(text.slice(0, dash).trim());
    const to = addressInterval(text.slice(dash + 1).trim());
    if (!from || !to || from.family !== to.family || from.start > to.end) return undefined;
    return { family: from.family, start: from.start, end: to.end };
  }
  return addressInterval(text);
}

/** An address range from a start and an end address (Postgres firewall rules). */
export function rangeSpec(start: string, end: string): string {
  return `${start.trim()}-${end.trim()}`;
}

function merge(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const merged: Interval[] = [];
  for (const next of sorted) {
    const last = merged[merged.length - 1];
    if (last && next.start <= last.end + 1n) {
      if (next.end > last.end) last.end = next.end;
    } else {
      merged.push({ ...next });
    }
  }
  return merged;
}

function overlap(a: Interval, b: Interval): bigint {
  // Math.max/min do not take BigInt.
  // biome-ignore lint/complexity/useMathMinMax: BigInt operands.
  const start = a.start > b.start ? a.start : b.start;
  // biome-ignore lint/complexity/useMathMinMax: BigInt operands.
  const end = a.end < b.end ? a.end : b.end;
  return end >= start ? end - start + 1n : 0n;
}

const NOT_PUBLIC_V4 = merge(NOT_PUBLIC_CIDRS.map((cidr) => cidrInterval(cidr) as Interval));
const PUBLIC_V6 = cidrInterval(IPV6_GLOBAL_UNICAST) as Interval;

function publicCount(interval: Interval): bigint {
  if (interval.family === 'ipv6') return overlap(interval, PUBLIC_V6);
  const size = interval.end - interval.start + 1n;
  return NOT_PUBLIC_V4.reduce((count, blocked) => count - overlap(interval, blocked), size);
}

/** How many distinct public Internet addresses the specs admit together (overlaps counted once). */
export function publicAddressCount(specs: Iterable<string>): bigint {
  const intervals: Interval[] = [];
  for (const spec of specs) {
    const interval = intervalOf(spec);
    if (interval) intervals.push(interval);
  }
  let total = 0n;
  for (const family of ['ipv4', 'ipv6'] as const) {
    for (const interval of merge(intervals.filter((candidate) => candidate.family === family))) {
      total += publicCount(interval);
    }
  }
  return total;
}

/** A readable size: "the whole IPv4 Internet" beyond 2^31 public addresses, else the count. */
export function describeCount(count: bigint): string {
  if (count >= 1n << 31n) return `${count.toLocaleString('en-US')} public addresses (the Internet)`;
  return `${count.toLocaleString('en-US')} public address${count === 1n ? '' : 'es'}`;
}

/** How many public addresses a rule may admit before it counts as open, unless a policy's config says otherwise. */
export const MAX_PUBLIC_ADDRESSES_DEFAULT = 256;

/** The config property every exposure policy declares. */
export function maxPublicAddressesConfig(): PolicyConfigJSONSchema & { default: number } {
  return {
    type: 'integer',
    minimum: 0,
    description:
      'How many distinct public Internet addresses the rule may admit before it counts as open (default 256, a /24).',
    default: MAX_PUBLIC_ADDRESSES_DEFAULT,
  };
}

/** The port intervals of an NSG/ARM port spec (`*`, `22`, `1-65535`, `6379, 6380`); none when it is not one. */
export function portIntervals(spec: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const part of spec.split(',')) {
    const text = part.trim();
    if (text === '*' || text.toLowerCase() === 'any') {
      out.push([0, 65535]);
      continue;
    }
    const match = /^(\d{1,5})\s*(?:-\s*(\d{1,5}))?$/.exec(text);
    if (!match) continue;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (from <= to) out.push([from, to]);
  }
  return out;
}

/** The ports of `ports` that any of the port specs opens. */
export function portsOpenedBy(specs: Iterable<string>, ports: readonly number[]): number[] {
  const intervals = [...specs].flatMap(portIntervals);
  return ports.filter((port) => intervals.some(([from, to]) => port >= from && port <= to));
}
