import { isIP } from 'node:net';

/**
 * Normalises a client address as logs write it: strips `[…]` around IPv6 and an IPv6 zone (`%eth0`).
 * Returns the address, or undefined when it is not an IPv4/IPv6 address (e.g. a host name or `unix:`).
 * @example clientIp('[2001:db8::1]') → '2001:db8::1'; clientIp('gateway.local') → undefined
 */
export function clientIp(value: string): string | undefined {
  let v = value.trim();
  if (v.startsWith('[') && v.endsWith(']')) v = v.slice(1, -1);
  const zone = v.indexOf('%');
  if (zone > 0 && v.includes(':')) v = v.slice(0, zone);
  return isIP(v) === 0 ? undefined : v;
}
