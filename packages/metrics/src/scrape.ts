// Who may read /metrics. With a token configured: whoever presents it (`Authorization: Bearer
// <token>`, compared in constant time), from anywhere. Without one: loopback peers only, so a
// process bound to a routable address does not hand its figures to the network by accident; and
// not a loopback peer that forwards for someone (X-Forwarded-For, Forwarded, X-Real-IP): a
// reverse proxy on the same host would otherwise pass every outsider on as loopback. Those headers
// count whatever HITLESS_TRUST_PROXY says: the proxy's own client is not known to be this host.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
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

const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;

/** Why a scrape is refused (the status and the words to answer with), or null when it is allowed. */
export interface ScrapeRefusal {
  status: 401 | 403;
  message: string;
}

export function scrapeRefusal(opts: {
  token: string | null;
  headers: IncomingHttpHeaders;
  peer: string | undefined;
}): ScrapeRefusal | null {
  if (opts.token !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(opts.headers.authorization ?? '');
    return match !== null && sameSecret(match[1]!, opts.token)
      ? null
      : { status: 401, message: 'send Authorization: Bearer <metrics token>' };
  }
  if (!isLoopback(opts.peer))
    return { status: 403, message: 'metrics are served to loopback peers only (or set HITLESS_METRICS_TOKEN)' };
  const forwarded = FORWARDING_HEADERS.find((name) => opts.headers[name] !== undefined);
  if (forwarded)
    return {
      status: 403,
      message: `this request came through a proxy (${forwarded}): set HITLESS_METRICS_TOKEN to scrape through a proxy`,
    };
  return null;
}
