import type { Prng } from './prng.js';

/**
 * Client addresses of the demo logs, taken from the ranges reserved for documentation
 * (RFC 5737 for IPv4, RFC 3849 for IPv6) so a demo log never names a real host.
 */

const IPV4_NETS = ['192.0.2', '198.51.100', '203.0.113'];

export function documentationIpv4(prng: Prng): string {
  return `${prng.pick(IPV4_NETS)}.${prng.between(1, 254)}`;
}

export function documentationIpv6(prng: Prng): string {
  return `2001:db8:${prng.int(0x10000).toString(16)}::${prng.between(1, 0xffff).toString(16)}`;
}

/** A client address, IPv6 with probability `ipv6Share`. */
export function documentationAddress(prng: Prng, ipv6Share: number): string {
  return prng.chance(ipv6Share) ? documentationIpv6(prng) : documentationIpv4(prng);
}
