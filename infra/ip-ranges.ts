/**
 * IPv4 CIDR arithmetic for the API server's authorized ranges: whether a set of ranges lets the whole public
 * Internet in. A list is refused on what it covers, not on how it is spelt (`0.0.0.0/1` + `128.0.0.0/1` is `0.0.0.0/0`).
 */

/** An inclusive range of IPv4 addresses as 32-bit unsigned numbers. */
interface AddressInterval {
  first: number;
  last: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/;

/**
 * Special-purpose IPv4 blocks (RFC 6890 and the IANA registry): addresses no Internet client connects from. Every
 * address outside them is "the public Internet" for this check.
 */
const NON_PUBLIC_BLOCKS = [
  '0.0.0.0/8', // "this network"
  '10.0.0.0/8', // RFC 1918
  '100.64.0.0/10', // carrier-grade NAT (RFC 6598)
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link local
  '172.16.0.0/12', // RFC 1918
  '192.0.0.0/24', // IETF protocol assignments
  '192.0.2.0/24', // TEST-NET-1
  '192.168.0.0/16', // RFC 1918
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24', // TEST-NET-2
  '203.0.113.0/24', // TEST-NET-3
  '224.0.0.0/3', // multicast, reserved and broadcast (224.0.0.0 to 255.255.255.255)
];

/** Parses `a.b.c.d` or `a.b.c.d/n` into the interval it covers; undefined when it is not an IPv4 address or CIDR. */
export function cidrInterval(cidr: string): AddressInterval | undefined {
  const match = CIDR.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = match[5] === undefined ? 32 : Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) return undefined;
  const address = octets.reduce((value, octet) => value * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  const first = Math.floor(address / size) * size;
  return { first, last: first + size - 1 };
}

function mergeIntervals(intervals: AddressInterval[]): AddressInterval[] {
  const sorted = [...intervals].sort((a, b) => a.first - b.first);
  const merged: AddressInterval[] = [];
  for (const interval of sorted) {
    const previous = merged[merged.length - 1];
    if (previous && interval.first <= previous.last + 1) previous.last = Math.max(previous.last, interval.last);
    else merged.push({ ...interval });
  }
  return merged;
}

/** Whether the ranges together contain every public IPv4 address (unparsable entries are ignored). */
export function coversPublicInternet(ranges: readonly string[]): boolean {
  const blocks = [...ranges, ...NON_PUBLIC_BLOCKS]
    .map(cidrInterval)
    .filter((interval): interval is AddressInterval => interval !== undefined);
  const merged = mergeIntervals(blocks);
  return merged.length === 1 && merged[0]?.first === 0 && merged[0]?.last === 2 ** 32 - 1;
}
