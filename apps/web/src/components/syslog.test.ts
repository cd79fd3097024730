import type { SyslogMessage } from '@hitless/contracts';
import { describe, expect, it } from 'vitest';
import { compareIds, matchesFilters, mergeMessages, messagesByStep, type SyslogData } from './syslog.ts';

const DEVICE = '0b7c9e52-6a41-4c1e-9d55-5f0f3c1f2a01';
const RUN = '5d2e8f1a-3b4c-4d5e-8f6a-7b8c9d0e1f2a';

function message(id: string, o: Partial<SyslogMessage> = {}): SyslogMessage {
  return {
    id,
    receivedAt: '2026-12-02T10:00:00.000Z',
    deviceId: DEVICE,
    device: 'lab-bng002',
    runId: RUN,
    sourceAddress: '127.99.0.7',
    transport: 'UDP',
    format: 'RFC3164',
    facility: 23,
    severity: 5,
    timestamp: '2026-12-02T10:00:00.000Z',
    clock: 'SYNCED',
    hostname: null,
    appName: null,
    procId: null,
    msgId: null,
    sequence: 12,
    event: 'ISSU-5-ISSU_RUNVERSION',
    structuredData: null,
    message: 'Runversion complete: slot 7 is active',
    raw: '<189>12: *Dec  2 10:00:00.000 UTC: %ISSU-5-ISSU_RUNVERSION: Runversion complete: slot 7 is active',
    parseError: null,
    ...o,
  };
}

const data = (...pages: { ids: string[]; nextBefore: string | null }[]): SyslogData => ({
  pages: pages.map((p) => ({ items: p.ids.map((id) => message(id)), nextBefore: p.nextBefore })),
  pageParams: pages.map((_, i) => (i === 0 ? undefined : pages[i - 1]!.nextBefore!)),
});
const ids = (d: SyslogData) => d.pages.flatMap((p) => p.items.map((m) => m.id));

describe('syslog in the browser', () => {
  it('orders ids as the numbers they are', () => {
    expect(compareIds('9', '10')).toBeLessThan(0);
    expect(compareIds('100', '99')).toBeGreaterThan(0);
    expect(compareIds('42', '42')).toBe(0);
  });

  it('filters live messages as the API filters stored ones', () => {
    const m = message('1');
    expect(matchesFilters(m, {})).toBe(true);
    expect(matchesFilters(m, { deviceId: DEVICE, runId: RUN })).toBe(true);
    expect(matchesFilters(m, { deviceId: '6b7c9e52-6a41-4c1e-9d55-5f0f3c1f2a01' })).toBe(false);
    expect(matchesFilters(m, { unknownSource: true })).toBe(false);
    expect(matchesFilters(message('2', { deviceId: null, device: null }), { unknownSource: true })).toBe(true);
    // "At most": notice (5) passes notice and info, not warning.
    expect(matchesFilters(m, { severity: 'notice' })).toBe(true);
    expect(matchesFilters(m, { severity: 'warning' })).toBe(false);
    expect(matchesFilters(message('3', { severity: null }), { severity: 'debug' })).toBe(false);
    // Literal, case-insensitive, in the message, the event or the raw line.
    expect(matchesFilters(m, { q: 'issu_runversion' })).toBe(true);
    expect(matchesFilters(m, { q: 'slot 7' })).toBe(true);
    expect(matchesFilters(m, { q: '*Dec' })).toBe(true);
    expect(matchesFilters(m, { q: 'slot 8' })).toBe(false);
    expect(matchesFilters(m, { from: '2026-12-02T10:00:00.000Z', to: '2026-12-02T10:00:00.000Z' })).toBe(true);
    expect(matchesFilters(m, { from: '2026-12-02T10:00:00.001Z' })).toBe(false);
    expect(matchesFilters(m, { to: '2026-12-02T09:59:59.999Z' })).toBe(false);
    expect(matchesFilters(m, { parseError: true })).toBe(false);
    expect(matchesFilters(message('4', { parseError: 'no PRI' }), { parseError: true })).toBe(true);
  });

  it('merges a live batch once, newest first, into the first page', () => {
    const d = data({ ids: ['10', '9'], nextBefore: '9' }, { ids: ['8'], nextBefore: null });
    const merged = mergeMessages(d, [message('11'), message('10'), message('12')], 100);
    expect(ids(merged)).toEqual(['12', '11', '10', '9', '8']);
    expect(merged.pages).toHaveLength(2);
    expect(mergeMessages(merged, [message('12')], 100)).toBe(merged);
  });

  it('drops the oldest beyond the cap and moves the cursor to the last one kept', () => {
    const d = data({ ids: ['10', '9'], nextBefore: '9' }, { ids: ['8', '7'], nextBefore: '7' });
    const merged = mergeMessages(d, [message('11'), message('12')], 4);
    expect(ids(merged)).toEqual(['12', '11', '10', '9']);
    expect(merged.pages.at(-1)!.nextBefore).toBe('9');
    expect(merged.pageParams).toEqual([undefined]);
  });

  it('places each line on the step it was received in', () => {
    const steps = [
      { id: 'a', startedAt: '2026-12-02T10:00:00.000Z', endedAt: '2026-12-02T10:01:00.000Z' },
      { id: 'b', startedAt: '2026-12-02T10:01:00.500Z', endedAt: null },
    ];
    const at = (iso: string, id: string) => message(id, { receivedAt: iso });
    const byStep = messagesByStep(
      steps,
      [
        at('2026-12-02T09:59:59.000Z', '1'),
        at('2026-12-02T10:00:30.000Z', '2'),
        at('2026-12-02T10:01:00.200Z', '3'),
        at('2026-12-02T10:02:00.000Z', '4'),
        at('2026-12-02T10:09:00.000Z', '5'),
      ],
      Date.parse('2026-12-02T10:05:00.000Z'),
    );
    expect(byStep.get('a')!.map((m) => m.id)).toEqual(['2']);
    expect(byStep.get('b')!.map((m) => m.id)).toEqual(['4']);
  });
});
