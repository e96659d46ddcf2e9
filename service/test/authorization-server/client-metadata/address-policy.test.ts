/** Which resolved addresses a client id metadata fetch may connect to, in production and in development. */
import { describe, expect, it } from 'vitest';
import { addressRefusal, isAddressAllowed } from '../../../src/authorization-server/client-metadata/address-policy.js';

/** [address, allowed in production, allowed in development, what it is] */
const TABLE: ReadonlyArray<readonly [string, boolean, boolean, string]> = [
  // Public addresses: allowed everywhere.
  ['93.184.215.14', true, true, 'public IPv4'],
  ['8.8.8.8', true, true, 'public IPv4'],
  ['1.1.1.1', true, true, 'public IPv4'],
  ['2606:4700:4700::1111', true, true, 'public IPv6'],
  ['2a00:1450:4001:82b::200e', true, true, 'public IPv6'],
  ['64:ff9b::808:808', true, true, 'NAT64 of public 8.8.8.8'],
  ['2002:808:808::1', true, true, '6to4 of public 8.8.8.8'],
  ['::ffff:8.8.8.8', true, true, 'IPv4-mapped public'],
  // Loopback: development only.
  ['127.0.0.1', false, true, 'loopback'],
  ['127.255.255.254', false, true, 'loopback /8'],
  ['::1', false, true, 'IPv6 loopback'],
  ['0:0:0:0:0:0:0:1', false, true, 'IPv6 loopback, long form'],
  ['::ffff:127.0.0.1', false, true, 'IPv4-mapped loopback'],
  ['::ffff:7f00:1', false, true, 'IPv4-mapped loopback, hex form'],
  // Never.
  ['0.0.0.0', false, false, 'unspecified'],
  ['0.1.2.3', false, false, 'this network'],
  ['::', false, false, 'IPv6 unspecified'],
  ['10.0.0.1', false, false, 'private 10/8'],
  ['172.16.0.1', false, false, 'private 172.16/12'],
  ['172.31.255.255', false, false, 'private 172.16/12, top'],
  ['192.168.1.1', false, false, 'private 192.168/16'],
  ['100.64.0.1', false, false, 'CGNAT'],
  ['100.100.100.200', false, false, 'Alibaba metadata (CGNAT)'],
  ['169.254.169.254', false, false, 'cloud metadata'],
  ['169.254.0.1', false, false, 'link-local'],
  ['192.0.0.192', false, false, 'Oracle metadata (IETF protocol assignments)'],
  ['192.0.2.1', false, false, 'TEST-NET-1'],
  ['198.51.100.1', false, false, 'TEST-NET-2'],
  ['203.0.113.1', false, false, 'TEST-NET-3'],
  ['198.18.0.1', false, false, 'benchmarking'],
  ['192.88.99.1', false, false, '6to4 relay anycast'],
  ['224.0.0.1', false, false, 'multicast'],
  ['239.255.255.250', false, false, 'multicast SSDP'],
  ['240.0.0.1', false, false, 'reserved'],
  ['255.255.255.255', false, false, 'broadcast'],
  ['fc00::1', false, false, 'unique local'],
  ['fd00:ec2::254', false, false, 'AWS metadata (unique local)'],
  ['fe80::1', false, false, 'link-local'],
  ['fe80::1%eth0', false, false, 'link-local with zone'],
  ['fec0::1', false, false, 'site-local (deprecated)'],
  ['ff02::1', false, false, 'multicast'],
  ['2001:db8::1', false, false, 'documentation'],
  ['3fff::1', false, false, 'documentation (RFC 9637)'],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', false, false, 'Teredo'],
  ['::ffff:10.0.0.1', false, false, 'IPv4-mapped private'],
  ['::ffff:169.254.169.254', false, false, 'IPv4-mapped metadata'],
  ['::ffff:a9fe:a9fe', false, false, 'IPv4-mapped metadata, hex form'],
  ['64:ff9b::a9fe:a9fe', false, false, 'NAT64 of metadata'],
  ['64:ff9b::7f00:1', false, false, 'NAT64 of loopback (not a loopback socket, so refused in development too)'],
  ['64:ff9b:1::808:808', false, false, 'local-use NAT64'],
  ['2002:a00:1::1', false, false, '6to4 of private 10.0.0.1'],
  ['::127.0.0.1', false, false, 'IPv4-compatible (deprecated)'],
  ['not-an-ip', false, false, 'not an address'],
];

describe('address policy', () => {
  it.each(TABLE)('%s: production %s, development %s (%s)', (address, production, development) => {
    expect(isAddressAllowed(address, 'production')).toBe(production);
    expect(isAddressAllowed(address, 'development')).toBe(development);
  });

  it('names the range it refused, for the logs', () => {
    expect(addressRefusal('169.254.169.254', 'production')).toMatch(/metadata/);
    expect(addressRefusal('10.1.2.3', 'production')).toMatch(/RFC 1918/);
    expect(addressRefusal('2001:db8::1', 'production')).toMatch(/documentation/);
    expect(addressRefusal('::ffff:127.0.0.1', 'production')).toMatch(/IPv4 address that is loopback/);
  });
});
