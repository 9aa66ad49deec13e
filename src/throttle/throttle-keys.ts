import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { normalizeEmail, normalizeUserName } from '../identity/users/normalize';
import { ThrottleKey, ThrottleLimits } from './throttle-policy';

/**
 * The account as the client named it: the normalised identifier it typed, never
 * a user id, so an identifier nobody owns is counted exactly like one somebody
 * does. Hashed: the table holds no email addresses and keys have a fixed size.
 * A user name never contains `@` (the workspace API looks such identifiers up
 * as emails), so the two kinds cannot collide.
 */
export function accountKeyOf(identifier: string): string {
  const normalized = identifier.includes('@') ? `email:${normalizeEmail(identifier)}` : `name:${normalizeUserName(identifier)}`;
  return createHash('sha256').update(normalized, 'utf8').digest('base64url').slice(0, 32);
}

function expandIPv6(address: string): string[] {
  const [head, tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  // A trailing dotted quad (::ffff:1.2.3.4 and the like) is two groups.
  const last = right.length > 0 ? right : left;
  if (last.length > 0 && last[last.length - 1].includes('.')) {
    const quad = last.pop() as string;
    const [a, b, c, d] = quad.split('.').map(Number);
    last.push(((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
  }
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}

/**
 * The client address as a throttling subject. IPv4-mapped IPv6 addresses are
 * their IPv4 address; other IPv6 addresses count per /64, since anyone holding
 * one address of a /64 usually holds all of them.
 */
export function ipSubjectOf(ip: string): string {
  const bare = ip.split('%')[0];
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return `raw:${bare.slice(0, 64)}`;
  const groups = expandIPv6(bare);
  const mapped = groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff';
  if (mapped) {
    const [hi, lo] = [parseInt(groups[6], 16), parseInt(groups[7], 16)];
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** The three counters one password check is charged to, in a fixed order (the lock order). */
export function throttleKeysFor(identifier: string, ip: string, limits: ThrottleLimits): ThrottleKey[] {
  const account = accountKeyOf(identifier);
  const subject = ipSubjectOf(ip);
  return [
    { key: `acct:${account}`, scope: 'account' as const, rule: limits.account },
    { key: `acct-ip:${account}:${subject}`, scope: 'account_ip' as const, rule: limits.accountIp },
    { key: `ip:${subject}`, scope: 'ip' as const, rule: limits.ip },
  ].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
