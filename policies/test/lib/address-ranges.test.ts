import { describe, expect, it } from 'vitest';
import { portIntervals, portsOpenedBy, publicAddressCount } from '../../lib/address-ranges';

/** 2^32 minus the special-purpose, private, multicast and reserved IPv4 blocks. */
const PUBLIC_IPV4 = 3_702_390_784n;

describe('publicAddressCount', () => {
  it.each([
    [['0.0.0.0/0'], PUBLIC_IPV4],
    [['0.0.0.0/1', '128.0.0.0/1'], PUBLIC_IPV4],
    [['0.0.0.1-255.255.255.255'], PUBLIC_IPV4],
    [['*'], PUBLIC_IPV4],
    [['Internet'], PUBLIC_IPV4],
    [['AzureCloud.westeurope'], PUBLIC_IPV4],
    [['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.1'], 0n],
    [['VirtualNetwork', 'AzureLoadBalancer'], 0n],
    [['203.0.113.10'], 1n],
    [['203.0.113.10/32', '203.0.113.0/24'], 256n],
    [['198.51.100.0/24', '198.51.101.0/24'], 512n],
    [['203.0.113.7/24'], 256n],
    [['::/0'], 1n << 125n],
    [['fd00::/8'], 0n],
    [['not-an-address', '1.2.3.4-1.2.3.1'], 0n],
  ])('%j admits %s public addresses', (specs, expected) => {
    expect(publicAddressCount(specs)).toBe(expected);
  });
});

describe('port specs', () => {
  it('parses single ports, ranges, lists and wildcards', () => {
    expect(portIntervals('22')).toEqual([[22, 22]]);
    expect(portIntervals(' 1 - 65535 ')).toEqual([[1, 65535]]);
    expect(portIntervals('*')).toEqual([[0, 65535]]);
    expect(portIntervals('6379,6380')).toEqual([
      [6379, 6379],
      [6380, 6380],
    ]);
    expect(portIntervals('http')).toEqual([]);
  });

  it('finds the sensitive ports a set of specs opens', () => {
    expect(portsOpenedBy(['443', '6000-7000'], [22, 6443, 10250])).toEqual([6443]);
    expect(portsOpenedBy(['1-65535'], [22, 10250])).toEqual([22, 10250]);
    expect(portsOpenedBy(['443'], [22])).toEqual([]);
  });
});
