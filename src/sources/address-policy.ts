import ipaddr from 'ipaddr.js';

/** Which network addresses Vigil may connect to when it fetches a URL. */
export interface AddressPolicy {
  /** Connect to any address, private and loopback included (`--allow-private`). */
  readonly allowPrivate: boolean;
  /**
   * Addresses or CIDR ranges allowed although they are not public (`127.0.0.1`, `10.1.0.0/16`): an
   * internal feed mirror, or a test server. Everything else not public stays refused.
   */
  readonly allow?: readonly string[];
}

export const PUBLIC_ONLY: AddressPolicy = Object.freeze({ allowPrivate: false });

// What each ipaddr.js range is called in an error message; anything not listed is named by its range.
const RANGE_WORDS: Readonly<Record<string, string>> = {
  private: 'a private address',
  loopback: 'a loopback address',
  linkLocal: 'a link-local address',
  uniqueLocal: 'a unique-local address',
  carrierGradeNat: 'a carrier-grade NAT (CGNAT) address',
  multicast: 'a multicast address',
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  reserved: 'a reserved address',
  deprecatedSiteLocal: 'a site-local address',
};

/** True when `host` (a URL's hostname, brackets allowed) is an IP address rather than a name. */
export function isIpLiteral(host: string): boolean {
  return ipaddr.isValid(unbracket(host));
}

/**
 * Why Vigil must not connect to this IP address, or null when it may: only public unicast addresses
 * are allowed unless the policy says otherwise. An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) is
 * judged as the IPv4 address it carries.
 *
 * @example refusedAddress('10.0.0.5', PUBLIC_ONLY) // '10.0.0.5 is a private address'
 */
export function refusedAddress(address: string, policy: AddressPolicy): string | null {
  const words = addressProblem(address, policy);
  return words === null ? null : `${unbracket(address)} is ${words}`;
}

/** What is wrong with an address in words (`a loopback address`), or null when Vigil may connect to it. */
export function addressProblem(address: string, policy: AddressPolicy): string | null {
  if (policy.allowPrivate) return null;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(unbracket(address));
  } catch {
    return 'not an IP address';
  }
  if (isAllowed(parsed, policy.allow ?? [])) return null;
  let mapped = '';
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
    if (isAllowed(parsed, policy.allow ?? [])) return null;
    mapped = ` (IPv4-mapped ${parsed.toString()})`;
  }
  const range = parsed.range();
  if (range === 'unicast') return null;
  return `${RANGE_WORDS[range] ?? `a special-purpose address (${range})`}${mapped}`;
}

function isAllowed(address: ipaddr.IPv4 | ipaddr.IPv6, allow: readonly string[]): boolean {
  for (const entry of allow) {
    const [network, bits] = entry.includes('/')
      ? ipaddr.parseCIDR(entry)
      : ([ipaddr.parse(entry), entry.includes(':') ? 128 : 32] as const);
    if (network.kind() === address.kind() && address.match(network, bits)) return true;
  }
  return false;
}

/** Throws on an entry of `allow` that is neither an address nor a CIDR range, naming it. */
export function checkAllowList(allow: readonly string[]): void {
  for (const entry of allow) {
    if (!(ipaddr.isValid(entry) || ipaddr.isValidCIDR(entry))) {
      throw new Error(`'${entry}' is not an IP address or CIDR range`);
    }
  }
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
