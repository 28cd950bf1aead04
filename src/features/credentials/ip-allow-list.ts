import ipaddr from 'ipaddr.js';

export class AllowListError extends Error {
  constructor(readonly entry: string) {
    super(`not an address or range: ${entry}`);
  }
}

const MAX_ENTRIES = 50;

function canonical(address: ipaddr.IPv4 | ipaddr.IPv6): string {
  return address.kind() === 'ipv6' ? (address as ipaddr.IPv6).toRFC5952String() : address.toString();
}

/** One entry: an IPv4 or IPv6 address, or a CIDR range written with its network address. */
function normalizeEntry(entry: string): string {
  const [ip = '', bits, ...extra] = entry.split('/');
  // Only the usual spellings: dotted-quad decimal IPv4 (no octal, hex or short forms) or IPv6.
  const valid = ip.includes(':') ? ipaddr.IPv6.isValid(ip) : ipaddr.IPv4.isValidFourPartDecimal(ip);
  if (extra.length > 0 || !valid) throw new AllowListError(entry);
  const address = ipaddr.process(ip);
  if (bits === undefined) return canonical(address);
  if (!/^\d{1,3}$/.test(bits)) throw new AllowListError(entry);
  const prefix = Number(bits);
  const max = address.kind() === 'ipv4' ? 32 : 128;
  if (prefix > max) throw new AllowListError(entry);
  const cidr = `${canonical(address)}/${prefix}`;
  const network = address.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
  return prefix === max ? canonical(network) : `${canonical(network)}/${prefix}`;
}

/**
 * Parses what someone typed (separated by commas, spaces or new lines) into a normalized
 * list; empty means "any address". Every bad entry is reported, not only the first.
 */
export function parseAllowList(text: string): string[] | null {
  const entries = text.split(/[\s,;]+/).filter(Boolean);
  if (entries.length === 0) return null;
  if (entries.length > MAX_ENTRIES) throw new AllowListError(entries[MAX_ENTRIES] as string);
  const normalized = entries.map(normalizeEntry);
  return [...new Set(normalized)];
}

/** Whether a client address is within the list (IPv4-mapped IPv6 counts as IPv4). */
export function allows(list: string[] | null, clientIp: string): boolean {
  if (!list) return true;
  if (!ipaddr.isValid(clientIp)) return false;
  const address = ipaddr.process(clientIp);
  return list.some((entry) => {
    const [network, bits] = entry.includes('/') ? ipaddr.parseCIDR(entry) : [ipaddr.parse(entry), address.kind() === 'ipv4' ? 32 : 128];
    return network.kind() === address.kind() && address.match(network, bits);
  });
}
