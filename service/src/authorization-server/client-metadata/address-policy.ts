import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { ClientMetadataMode } from './client-metadata-error.js';

/**
 * Which resolved addresses a client id metadata fetch may connect to. The client id URL is chosen by whoever calls
 * `/authorize`, so without this the authorization server would fetch from its own network on an attacker's behalf
 * (SSRF: draft-ietf-oauth-client-id-metadata-document §8.6 "Server-Side Request Forgery"; MCP authorization spec,
 * Client ID Metadata Documents security considerations). Only globally routable unicast addresses are allowed.
 * Ranges come from the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and its updates).
 */

/** IPv4 ranges that are not the public internet. Each line says why it is refused. */
const REFUSED_IPV4: ReadonlyArray<readonly [network: string, prefix: number, why: string]> = [
  ['0.0.0.0', 8, 'this network / unspecified (RFC 791, RFC 1122): 0.0.0.0 reaches the local host on Linux'],
  ['10.0.0.0', 8, 'private (RFC 1918)'],
  ['100.64.0.0', 10, 'shared carrier-grade NAT (RFC 6598); Alibaba Cloud metadata is 100.100.100.200'],
  ['127.0.0.0', 8, 'loopback (RFC 1122)'],
  ['169.254.0.0', 16, 'link-local (RFC 3927): cloud instance metadata at 169.254.169.254 (Azure IMDS, AWS, GCP)'],
  ['172.16.0.0', 12, 'private (RFC 1918)'],
  ['192.0.0.0', 24, 'IETF protocol assignments (RFC 6890); Oracle Cloud metadata is 192.0.0.192'],
  ['192.0.2.0', 24, 'documentation TEST-NET-1 (RFC 5737)'],
  ['192.88.99.0', 24, 'deprecated 6to4 relay anycast (RFC 7526)'],
  ['192.168.0.0', 16, 'private (RFC 1918)'],
  ['198.18.0.0', 15, 'benchmarking (RFC 2544)'],
  ['198.51.100.0', 24, 'documentation TEST-NET-2 (RFC 5737)'],
  ['203.0.113.0', 24, 'documentation TEST-NET-3 (RFC 5737)'],
  ['224.0.0.0', 4, 'multicast (RFC 5771)'],
  ['240.0.0.0', 4, 'reserved (RFC 1112), including the limited broadcast 255.255.255.255 (RFC 919)'],
];

/**
 * IPv6 is allowed by allow-list: only global unicast 2000::/3 can reach the internet, which refuses in one rule the
 * unspecified ::, loopback ::1, the deprecated IPv4-compatible ::/96, unique local fc00::/7 (AWS metadata is
 * fd00:ec2::254), link-local fe80::/10, the deprecated site-local fec0::/10 and multicast ff00::/8. Inside 2000::/3
 * these are still refused:
 */
const REFUSED_IPV6_GLOBAL: ReadonlyArray<readonly [network: string, prefix: number, why: string]> = [
  ['2001::', 23, 'IETF protocol assignments (RFC 2928), including Teredo 2001::/32 whose tunnelled target is hidden'],
  ['2001:db8::', 32, 'documentation (RFC 3849)'],
  ['3fff::', 20, 'documentation (RFC 9637)'],
];

interface Rule {
  readonly list: BlockList;
  readonly why: string;
}

function rule(network: string, prefix: number, family: 'ipv4' | 'ipv6', why: string): Rule {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { list, why };
}

const ipv4Rules = REFUSED_IPV4.map(([network, prefix, why]) => rule(network, prefix, 'ipv4', why));
// Narrowest first, so Teredo and documentation are named rather than the 2001::/23 around them.
const ipv6GlobalRules = [...REFUSED_IPV6_GLOBAL]
  .sort((a, b) => b[1] - a[1])
  .map(([network, prefix, why]) => rule(network, prefix, 'ipv6', why));
const globalUnicastIpv6 = rule('2000::', 3, 'ipv6', 'global unicast');
const loopbackIpv4 = rule('127.0.0.0', 8, 'ipv4', 'loopback');

/** Expands an IPv6 address into its eight 16-bit groups (handles `::` and a trailing dotted IPv4 part). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().split('%')[0]!;
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  return [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups].map((group) => Number.parseInt(group, 16));
}

function ipv4FromGroups(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/**
 * The IPv4 address an IPv6 address stands for, where the network would deliver it to that IPv4 address: the
 * IPv4-mapped ::ffff:0:0/96 (a dual-stack socket connects to the IPv4 host itself), the NAT64 well-known prefix
 * 64:ff9b::/96 (RFC 6052: a translator forwards to the embedded address) and 6to4 2002::/16 (RFC 3056). Each is
 * judged by its embedded IPv4 address, so ::ffff:127.0.0.1 is loopback and 64:ff9b::a00:1 is private. Only the
 * mapped form is this machine; a translated loopback address lands on the translator, so it stays refused in
 * development too.
 */
function embeddedIpv4(groups: number[]): { ipv4: string; mapped: boolean } | undefined {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [number, number, number, number, number, number, number, number];
  const zeroHead = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (zeroHead && g5 === 0xffff) return { ipv4: ipv4FromGroups(g6, g7), mapped: true };
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    return { ipv4: ipv4FromGroups(g6, g7), mapped: false };
  }
  if (g0 === 0x2002) return { ipv4: ipv4FromGroups(g1, g2), mapped: false };
  return undefined;
}

function ipv4Refusal(address: string, mode: ClientMetadataMode): string | undefined {
  if (mode === 'development' && loopbackIpv4.list.check(address, 'ipv4')) return undefined;
  return ipv4Rules.find(({ list }) => list.check(address, 'ipv4'))?.why;
}

/**
 * Why a fetch may not connect to `address`, or undefined when it may. Production refuses everything that is not a
 * public unicast address; development additionally allows loopback (127.0.0.0/8, ::1 and their IPv4-mapped forms)
 * so a client id served from this machine can be tried, and nothing else: private and metadata addresses stay
 * refused even in development, because a developer's laptop sits on networks worth protecting too.
 */
export function addressRefusal(address: string, mode: ClientMetadataMode): string | undefined {
  if (isIPv4(address)) return ipv4Refusal(address, mode);
  if (!isIPv6(address)) return 'not an IP address';
  const groups = ipv6Groups(address);
  if (groups.slice(0, 7).every((group) => group === 0) && groups[7] === 1) {
    return mode === 'development' ? undefined : 'loopback (RFC 4291)';
  }
  const embedded = embeddedIpv4(groups);
  if (embedded !== undefined) {
    const why = ipv4Refusal(embedded.ipv4, embedded.mapped ? mode : 'production');
    return why === undefined ? undefined : `IPv6 form of an IPv4 address that is ${why}`;
  }
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups[2] === 1) {
    return 'local-use NAT64 (RFC 8215): translates into the operator network';
  }
  if (!globalUnicastIpv6.list.check(address, 'ipv6')) {
    return 'not global unicast (loopback, unspecified, unique local, link-local, multicast or reserved)';
  }
  return ipv6GlobalRules.find(({ list }) => list.check(address, 'ipv6'))?.why;
}

export function isAddressAllowed(address: string, mode: ClientMetadataMode): boolean {
  return addressRefusal(address, mode) === undefined;
}
