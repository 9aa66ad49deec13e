import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** `::ffff:10.0.0.1` is the IPv4 peer 10.0.0.1 on a dual-stack socket. */
const unmapped = (address: string): string => (address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address);

/**
 * Whether a socket peer is one of the TRUST_PROXY addresses or CIDRs: only such a peer
 * may name the client (X-Forwarded-For, which Fastify reads with the same list) or the
 * request (X-Request-Id). `null` (nothing configured) trusts nobody.
 */
export function trustedProxyCheck(entries: readonly string[] | null): (peer: string | undefined) => boolean {
  if (!entries || entries.length === 0) return () => false;
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const type = isIPv6(address) ? 'ipv6' : 'ipv4';
    if (!isIPv4(address) && !isIPv6(address)) continue;
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return (peer) => {
    if (!peer) return false;
    const address = unmapped(peer);
    return list.check(address, isIPv6(address) ? 'ipv6' : 'ipv4');
  };
}
