import { describe, expect, it } from 'vitest';
import { dropsInTable } from './kernel-drops.ts';

// The layout of Linux's /proc/net/udp (as on this machine): local address and port in hex, the
// socket's drop count last. Port 5514 is 0x158A.
const TABLE = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  187: 0100007F:158A 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 912345 2 0000000000000000 25037
  190: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 19871 2 0000000000000000 7
  204: 0A00007F:158A 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 912399 2 0000000000000000 3
`;

describe('dropsInTable', () => {
  it('sums the drop column of every socket on the port, and says null when none is bound to it', () => {
    expect(dropsInTable(TABLE, 5514)).toBe(25040);
    expect(dropsInTable(TABLE, 53)).toBe(7);
    expect(dropsInTable(TABLE, 514)).toBeNull();
    expect(dropsInTable('', 5514)).toBeNull();
  });
});
