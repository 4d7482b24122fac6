import { describe, expect, it } from 'vitest';
import { refusedAddress } from '../../src/sources/address-policy.js';

const PUBLIC_ONLY = { allowPrivate: false };

describe('the address policy of fetched URLs', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1 is a loopback address'],
    ['127.8.9.10', '127.8.9.10 is a loopback address'],
    ['10.0.0.5', '10.0.0.5 is a private address'],
    ['172.16.3.4', '172.16.3.4 is a private address'],
    ['192.168.1.1', '192.168.1.1 is a private address'],
    ['169.254.169.254', '169.254.169.254 is a link-local address'],
    ['100.64.0.1', '100.64.0.1 is a carrier-grade NAT (CGNAT) address'],
    ['224.0.0.251', '224.0.0.251 is a multicast address'],
    ['0.0.0.0', '0.0.0.0 is an unspecified address'],
    ['255.255.255.255', '255.255.255.255 is a broadcast address'],
    ['::1', '::1 is a loopback address'],
    ['[::1]', '::1 is a loopback address'],
    ['::', ':: is an unspecified address'],
    ['fe80::1', 'fe80::1 is a link-local address'],
    ['fd12:3456::1', 'fd12:3456::1 is a unique-local address'],
    ['ff02::1', 'ff02::1 is a multicast address'],
    ['::ffff:127.0.0.1', '::ffff:127.0.0.1 is a loopback address (IPv4-mapped 127.0.0.1)'],
    ['::ffff:7f00:1', '::ffff:7f00:1 is a loopback address (IPv4-mapped 127.0.0.1)'],
    ['::ffff:10.0.0.5', '::ffff:10.0.0.5 is a private address (IPv4-mapped 10.0.0.5)'],
  ])('refuses %s', (address, reason) => {
    expect(refusedAddress(address, PUBLIC_ONLY)).toBe(reason);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'allows the public address %s',
    (address) => {
      expect(refusedAddress(address, PUBLIC_ONLY)).toBeNull();
    },
  );

  it('allows everything with allowPrivate (--allow-private)', () => {
    for (const address of ['127.0.0.1', '10.0.0.5', '::1', '169.254.169.254']) {
      expect(refusedAddress(address, { allowPrivate: true })).toBeNull();
    }
  });

  it('allows only the listed addresses and ranges of an allow list, IPv4-mapped included', () => {
    const policy = { allowPrivate: false, allow: ['127.0.0.1', '10.1.0.0/16'] };
    expect(refusedAddress('127.0.0.1', policy)).toBeNull();
    expect(refusedAddress('::ffff:127.0.0.1', policy)).toBeNull();
    expect(refusedAddress('10.1.200.3', policy)).toBeNull();
    expect(refusedAddress('127.0.0.2', policy)).toBe('127.0.0.2 is a loopback address');
    expect(refusedAddress('10.2.0.1', policy)).toBe('10.2.0.1 is a private address');
    expect(refusedAddress('::1', policy)).toBe('::1 is a loopback address');
  });
});
