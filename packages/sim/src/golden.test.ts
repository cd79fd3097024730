// Golden tests: the lab prints what the seed documents print. For Cisco (seed 003), each sample
// output is compared line for line by its fields (the `Key = value` lines, in order), values
// aside except the ones that state where the ISSU is (slots, RP and ISSU states, redundancy
// states). For Junos (seed 001), every quoted run of in-service-upgrade lines appears, in order
// and consecutively, in the lab's stream.
import { seed001IssuBlocks, seed003Transcripts } from '@hitless/testkit/seeds';
import { describe, expect, it } from 'vitest';
import { imagesOf } from './catalog.ts';
import { CiscoChassis } from './cisco/chassis.ts';
import { CISCO_PLATFORMS } from './cisco/platforms.ts';
import * as cisco from './cisco/render.ts';
import { ManualClock } from './clock.ts';
import { JunosChassis } from './junos/chassis.ts';



type Field = [key: string, value: string];

/** The `Key = value` fields of an output, keys with their spacing and underscores normalised. */
function fields(lines: string[]): Field[] {
  return lines.flatMap((l): Field[] => {
    const m = /^\s*([^=]*?[^\s=])\s*=\s*(.*)$/.exec(l);
    if (m) return [[m[1]!.replace(/_/g, ' ').replace(/\s+/g, ' '), m[2]!.trim().replace(/\s+/g, ' ')]];
    // Section headers ("Current Processor Information :") count as fields without values.
    const h = /^\s*([A-Za-z ]+ Information) :\s*$/.exec(l);
    return h ? [[h[1]!, '']] : [];
  });
}

const keys = (f: Field[]) => f.map(([k]) => k);

/** Fields whose values say where the ISSU and the redundancy stand; all others are values aside. */
const STATE_KEYS = new Set(['Slot', 'RP State', 'ISSU State', 'Operating Mode', 'my state', 'Unit', 'Unit ID', 'Redundancy Mode (Operational)', 'Current Software state', 'Active Location', 'Standby Location', 'Operating Redundancy Mode', 'Communications', 'Switchovers system experienced']);

function expectSameFields(lab: string[], seed: string[], label: string) {
  const l = fields(lab);
  const s = fields(seed);
  expect(keys(l), label).toEqual(keys(s));
  const stateValues = (f: Field[]) => f.filter(([k]) => STATE_KEYS.has(k)).map(([k, v]) => `${k} = ${v.replace(/^(\d+)\s*-/, '$1 -')}`);
  expect(stateValues(l), label).toEqual(stateValues(s));
}

describe('golden: Cisco outputs against seed 003', () => {
  const [OLD, NEW] = imagesOf('c10k').map((i) => i.fileName) as [string, string];
  const reload = CISCO_PLATFORMS.c10k.reloadMs;
  const clock = new ManualClock();
  const ch = new CiscoChassis({
    hostname: 'Device',
    platform: CISCO_PLATFORMS.c10k,
    clock,
    timeScale: 1,
    lossWindowMs: 1000,
    events: { syslog: () => undefined, dropSessions: () => undefined, reachability: () => undefined },
  });
  const seed = seed003Transcripts();
  let cursor = 0;
  /** The next seed transcript of `command`, in document order. */
  const next = (command: string): string[] => {
    const i = seed.findIndex(([c], idx) => idx >= cursor && c === command);
    expect(i, `seed has another "${command}"`).toBeGreaterThanOrEqual(0);
    cursor = i + 1;
    return seed[i]![1];
  };

  it('before the ISSU: show redundancy states, show redundancy, show issu state detail, directory', () => {
    expectSameFields(cisco.showRedundancyStates(ch), next('show redundancy states'), 'show redundancy states (Init)');
    expectSameFields(cisco.showRedundancy(ch, clock.now()), next('show redundancy'), 'show redundancy (Init)');
    const detail = next('show issu state detail');
    expectSameFields(cisco.showIssuState(ch, true, clock.now()), detail, 'show issu state detail (Init)');
    const dir = next('directory disk0:');
    const lab = cisco.dir(ch, 'disk0:')!.filter((l) => l.trim());
    const shape = (l: string) =>
      l.replace(/^Directory of \S+/, 'DIR').replace(/^\s*\d+\s+-rw-\s+\d+\s+\w{3}\s+\d+ \d{4} [\d:]+ [+-]\d\d:\d\d\s+\S+$/, 'FILE').replace(/^\d+ bytes total \(\d+ bytes free\)$/, 'TOTAL');
    expect(lab.map(shape)).toEqual(['DIR', ...lab.slice(1, -1).map(() => 'FILE'), 'TOTAL']);
    expect(dir.map(shape)).toEqual(['DIR', 'FILE', 'FILE', 'FILE', 'FILE', 'TOTAL']);
  });

  it('after loadversion: show issu state and show redundancy state', () => {
    expect(ch.loadVersion(['a', `disk0:${NEW}`, 'b', `stby-disk0:${NEW}`]).ok).toBe(true);
    clock.advance(reload);
    expectSameFields(cisco.showIssuState(ch, false, clock.now()), next('show issu state'), 'show issu state (Load Version)');
    expectSameFields(cisco.showRedundancyStates(ch), next('show redundancy state'), 'show redundancy state (Load Version)');
    expect(cisco.showIssuState(ch, false, clock.now()).join('\n')).toContain(`Boot Variable = disk0:${NEW},12;disk0:${OLD},1;`);
  });

  it('after runversion: show redundancy, show issu state [detail], show issu rollback-timer', () => {
    expect(ch.runVersion(['b', `stby-disk0:${NEW}`]).ok).toBe(true);
    ch.commitRunVersion();
    clock.advance(reload);
    // The document's own text lost most of this sample; what is left appears in the lab's, in order.
    const partial = keys(fields(next('show redundancy')));
    const full = keys(fields(cisco.showRedundancy(ch, clock.now())));
    let at = 0;
    for (const k of partial) {
      at = full.indexOf(k, at);
      expect(at, `"${k}" in show redundancy after runversion`).toBeGreaterThanOrEqual(0);
      at++;
    }
    expectSameFields(cisco.showIssuState(ch, false, clock.now()), next('show issu state'), 'show issu state (Run Version)');
    expectSameFields(cisco.showIssuState(ch, true, clock.now()), next('show issu state detail'), 'show issu state detail (Run Version)');
    clock.advance(45 * 60_000 - 29 * 60_000 - 3000 - reload);
    const timer = cisco.showRollbackTimer(ch);
    expectSameFields(timer, next('show issu rollback-timer'), 'show issu rollback-timer');
    expect(timer.filter((l) => l.trim())).toEqual(['Rollback Process State = In progress', 'Configured Rollback Time = 45:00', 'Automatic Rollback Time = 29:03']);
  });

  it('after acceptversion and commitversion: show redundancy states, show redundancy, show issu state [detail]', () => {
    expect(ch.acceptVersion(['b', `disk0:${NEW}`]).ok).toBe(true);
    expect(ch.commitVersion(['a', `stby-disk0:${NEW}`]).ok).toBe(true);
    clock.advance(reload);
    expectSameFields(cisco.showRedundancyStates(ch), next('show redundancy states'), 'show redundancy states (committed)');
    expectSameFields(cisco.showRedundancy(ch, clock.now()), next('show redundancy'), 'show redundancy (committed)');
    expectSameFields(cisco.showIssuState(ch, false, clock.now()), next('show issu state'), 'show issu state (committed)');
    expectSameFields(cisco.showIssuState(ch, true, clock.now()), next('show issu state detail'), 'show issu state detail (committed)');
  });

  it('the rollback timer sample at the end of the document', () => {
    expect(keys(fields(next('show issu rollback-timer')))).toEqual(['Rollback Process State', 'Configured Rollback Time', 'Automatic Rollback Time']);
  });
});

describe('golden: the Junos in-service-upgrade stream against seed 001', () => {
  it('prints every quoted run of lines, consecutively and in order', () => {
    const clock = new ManualClock();
    const ch = new JunosChassis({ hostname: 'mx', clock, timeScale: 1, lossWindowMs: 500, events: { syslog: () => undefined, dropSessions: () => undefined, reachability: () => undefined } });
    const run = ch.startIssu('/var/tmp/jinstall-10.3R2.11-domestic-signed.tgz', false);
    while (!run.done) clock.advance(60_000);
    const norm = (l: string) => l.replace(/…/g, '...').replace(/\s+/g, ' ').trim();
    const lab = run.lines.map(norm);
    const blocks = seed001IssuBlocks().map((b) => b.map(norm));
    expect(blocks).toHaveLength(3);
    let from = 0;
    for (const block of blocks) {
      const start = lab.indexOf(block[0]!, from);
      expect(start, `"${block[0]}" in the lab's stream`).toBeGreaterThanOrEqual(0);
      expect(lab.slice(start, start + block.length)).toEqual(block);
      from = start + block.length;
    }
  });
});
