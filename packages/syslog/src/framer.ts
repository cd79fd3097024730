// RFC 6587 framing for one TCP connection, decided per message as rsyslog does: a frame that
// starts with a digit is octet-counted (`<len> <msg>`), anything else runs to LF (CRLF and NUL
// end a frame too; empty frames are skipped). Memory is bounded by maxMessageBytes: a longer
// line is cut there and the rest discarded up to the next terminator; an octet-counted frame
// longer than the limit is cut there and the rest of it skipped, so framing goes on with the
// next frame; a malformed count (`12abc`) cannot be trusted to find the next frame, so what
// follows it is read as a line and framing starts again after the next LF.
import { decodePayload } from './decode.ts';

export interface FramedMessage {
  text: string;
  truncated: boolean;
  error: string | null;
}

const LF = 10;
const CR = 13;
const NUL = 0;
const SP = 32;
const MAX_COUNT_DIGITS = 10;

type Mode = 'start' | 'count' | 'octets' | 'line' | 'discard';

/** Where a cut at `at` must move back to so no UTF-8 character is split (within this buffer). */
function charBoundary(buf: Buffer, at: number): number {
  let i = at;
  while (i > 0 && i > at - 4 && (buf[i]! & 0xc0) === 0x80) i--;
  return (buf[i]! & 0xc0) === 0x80 ? at : i;
}

export class SyslogStreamFramer {
  private readonly max: number;
  private mode: Mode = 'start';
  private parts: Buffer[] = [];
  private size = 0;
  private countText = '';
  private need = 0;
  private expected = 0;
  private error: string | null = null;
  private truncated = false;

  constructor(options: { maxMessageBytes: number }) {
    this.max = Math.max(1, Math.floor(options.maxMessageBytes));
  }

  /** Complete messages in `chunk` (with what earlier chunks left). Never throws. */
  push(chunk: Buffer): FramedMessage[] {
    const out: FramedMessage[] = [];
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      switch (this.mode) {
        case 'start': {
          const b = chunk[i]!;
          if (b === LF || b === CR || b === NUL) i++;
          else if (b >= 0x30 && b <= 0x39) {
            this.mode = 'count';
            this.countText = '';
          } else this.mode = 'line';
          break;
        }
        case 'count': {
          const b = chunk[i]!;
          if (b >= 0x30 && b <= 0x39 && this.countText.length < MAX_COUNT_DIGITS) {
            this.countText += String.fromCharCode(b);
            i++;
          } else if (b === SP && this.countText[0] !== '0') {
            i++;
            const count = Number(this.countText);
            // A well-formed count is trusted even past the limit: the frame is read to its end
            // (so the next one is found), keeping only its first maxMessageBytes.
            if (count > this.max) this.error = `octet count ${count} exceeds the ${this.max}-byte limit; cut`;
            this.need = this.expected = count;
            this.mode = 'octets';
          } else {
            // Not an octet count after all: those digits start a newline-framed message.
            this.error = `invalid octet count "${this.countText}${b >= 0x21 && b < 0x7f ? String.fromCharCode(b) : ''}…"; read as a line`;
            this.append(Buffer.from(this.countText, 'latin1'));
            this.mode = 'line';
          }
          break;
        }
        case 'octets': {
          const take = Math.min(this.need, n - i);
          this.append(chunk.subarray(i, i + take));
          i += take;
          this.need -= take;
          if (this.need === 0) {
            out.push(this.flush(false));
            this.mode = 'start';
          }
          break;
        }
        case 'line': {
          const k = this.terminator(chunk, i);
          this.append(chunk.subarray(i, k));
          if (this.truncated) {
            out.push(this.flush(true));
            this.mode = k < n ? 'start' : 'discard';
          } else if (k < n && (this.size > 0 || this.error)) {
            out.push(this.flush(true));
            this.mode = 'start';
          } else if (k < n) this.mode = 'start';
          i = k < n ? k + 1 : n;
          break;
        }
        case 'discard': {
          const k = this.terminator(chunk, i);
          if (k < n) this.mode = 'start';
          i = k < n ? k + 1 : n;
          break;
        }
      }
    }
    return out;
  }

  /** What is left when the connection closes: a last unterminated line, or a frame cut short. */
  end(): FramedMessage[] {
    const out: FramedMessage[] = [];
    if (this.mode === 'line' && (this.size > 0 || this.error)) out.push(this.flush(true));
    else if (this.mode === 'count') {
      this.error = `connection closed inside the octet count "${this.countText}"`;
      this.append(Buffer.from(this.countText, 'latin1'));
      out.push(this.flush(false));
    } else if (this.mode === 'octets') {
      this.error = `connection closed after ${this.expected - this.need} of ${this.expected} octets`;
      this.truncated = true;
      out.push(this.flush(false));
    }
    this.mode = 'start';
    this.parts = [];
    this.size = 0;
    this.error = null;
    this.truncated = false;
    return out;
  }

  /** The next LF or NUL at or after `from` (memchr-speed native scans), or the chunk's end. */
  private terminator(chunk: Buffer, from: number): number {
    const lf = chunk.indexOf(LF, from);
    const end = lf === -1 ? chunk.length : lf;
    const nul = chunk.subarray(from, end).indexOf(NUL);
    return nul === -1 ? end : from + nul;
  }

  private append(bytes: Buffer): void {
    if (bytes.length === 0 || this.truncated) return;
    const room = this.max - this.size;
    if (bytes.length > room) {
      bytes = bytes.subarray(0, charBoundary(bytes, room));
      this.truncated = true;
    }
    if (bytes.length === 0) return;
    // A copy: a slice would keep the socket's whole chunk alive while a message is incomplete.
    this.parts.push(Buffer.from(bytes));
    this.size += bytes.length;
  }

  private flush(stripCr: boolean): FramedMessage {
    let bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    if (stripCr && !this.truncated && bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, -1);
    const message: FramedMessage = { text: decodePayload(bytes), truncated: this.truncated, error: this.error };
    this.parts = [];
    this.size = 0;
    this.error = null;
    this.truncated = false;
    return message;
  }
}
