/**
 * Bytes off the wire → text PostgreSQL can store. Invalid UTF-8 becomes U+FFFD (Node's
 * decoder), and NUL, which a `text` column refuses, becomes U+2400 (SYMBOL FOR NULL) so the
 * message is kept with a visible mark instead of being rejected. A BOM is left in place: in
 * RFC 5424 it marks the start of MSG, and the parser strips it there.
 */
export function decodePayload(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\u2400') : text;
}
