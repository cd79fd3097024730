// Who may read /metrics. With a token configured: whoever presents it (`Authorization: Bearer
// <token>`, compared in constant time), from anywhere. Without one: loopback peers only, so a
// process bound to a routable address does not hand its figures to the network by accident.
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIPv4 } from 'node:net';

/** 127.0.0.0/8, ::1, and 127.x written as an IPv4-mapped IPv6 address (a dual-stack socket's view). */
export function isLoopback(peer: string | undefined): boolean {
  if (!peer) return false;
  const address = peer.toLowerCase();
  if (address === '::1' || address === '0:0:0:0:0:0:0:1') return true;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return isIPv4(v4) && v4.startsWith('127.');
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Equal-length digests: the comparison takes as long whatever was sent, and says nothing of the length. */
function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export function scrapeAllowed(opts: {
  token: string | null;
  authorization: string | undefined;
  peer: string | undefined;
}): boolean {
  if (opts.token === null) return isLoopback(opts.peer);
  const match = /^Bearer\s+(\S+)\s*$/i.exec(opts.authorization ?? '');
  return match !== null && sameSecret(match[1]!, opts.token);
}
