// Golden tests: the lab prints what the seed documents print. For Cisco (seed 003), each sample
// output is reduced to its skeleton: every `Key = value` line, section header and dash rule, in
// order, with wrapped continuation lines (the seed's Image Version and Boot Variable values run
// over several lines) joined to the value they continue. The skeletons must be equal; values
// are compared where they say where the ISSU stands (slots, RP, ISSU and redundancy states) and
// by shape where they name software (image banners, boot variables, versions). Blank lines and
// indentation are not compared: the seed is an HTML dump that lost both. For Junos (seed 001),
// every quoted run of in-service-upgrade lines appears, in order and consecutively, in the
// lab's stream.
import { seed001IssuBlocks, seed003Transcripts } from '@hitless/testkit/seeds';
import { describe, expect, it } from 'vitest';
import { imagesOf } from './catalog.ts';
import { CiscoChassis } from './cisco/chassis.ts';
import { CISCO_PLATFORMS } from './cisco/platforms.ts';
import * as cisco from './cisco/render.ts';
import { ManualClock } from './clock.ts';
import { JunosChassis } from './junos/chassis.ts';

type Item =
  | { kind: 'field'; key: string; value: string }
  | { kind: 'header'; key: string }
  | { kind: 'rule' }
  | { kind: 'text'; text: string };

/** An output's skeleton: fields, headers and rules in order, continuation lines joined to their field. */
function skeleton(lines: string[]): Item[] {
  const items: Item[] = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    if (/^\s*-{3,}\s*$/.test(line)) {
      items.push({ kind: 'rule' });
      continue;
    }
    const h = /^\s*([A-Za-z ]+ Information) :\s*$/.exec(line);
    if (h) {
      items.push({ kind: 'header', key: h[1]! });
      continue;
    }
    const m = /^\s*([^=]*?[^\s=])\s*=\s*(.*)$/.exec(line);
    if (m) {
      items.push({
        kind: 'field',
        key: m[1]!.replace(/_/g, ' ').replace(/\s+/g, ' '),
        value: m[2]!.trim().replace(/\s+/g, ' '),
      });
      continue;
    }
    const last = items.at(-1);
    if (last?.kind === 'field') last.value = `${last.value} ${line.trim().replace(/\s+/g, ' ')}`.trim();
    else items.push({ kind: 'text', text: line.trim() });
  }
  return items;
}

const label = (i: Item) =>
  i.kind === 'field'
    ? `${i.key} =`
    : i.kind === 'header'
      ? `${i.key} :`
      : i.kind === 'rule'
        ? '-----'
        : `text: ${i.text}`;
const fieldsOf = (items: Item[]) => items.filter((i): i is Extract<Item, { kind: 'field' }> => i.kind === 'field');

/** Fields whose values say where the ISSU and the redundancy stand: compared as they are. */
const STATE_KEYS = new Set([
  'Slot',
  'RP State',
  'ISSU State',
  'Operating Mode',
  'my state',
  'Unit',
  'Unit ID',
  'Redundancy Mode (Operational)',
  'Current Software state',
  'Active Location',
  'Standby Location',
  'Operating Redundancy Mode',
  'Communications',
  'Switchovers system experienced',
]);

/** Fields whose values name software: compared by shape. */
const IMAGE = String.raw`(?:disk0|stby-disk0|bootflash|stby-bootflash):[\w.()-]+`;
const SHAPES: Record<string, RegExp> = {
  'Image Version':
    /^Cisco IOS Software, .+ Software \([\w-]+\), .*Version \S+.* Copyright \(c\) ?\d{4}-\d{4} by Cisco Systems, Inc\. Compiled \w{3} \d{2}-\w{3}-\d{2} \d{2}:\d{2} by \S+$/,
  BOOT: new RegExp(String.raw`^(?:${IMAGE},\d+;)+$`),
  'Boot Variable': new RegExp(String.raw`^(?:N/A|(?:${IMAGE},\d+;)+)$`),
  'Primary Version': new RegExp(String.raw`^(?:N/A|${IMAGE})$`),
  'Secondary Version': new RegExp(String.raw`^(?:N/A|${IMAGE})$`),
  'Current Version': new RegExp(String.raw`^(?:N/A|${IMAGE})$`),
};

function expectSameFields(lab: string[], seed: string[], what: string) {
  const l = skeleton(lab);
  const s = skeleton(seed);
  expect(l.map(label), what).toEqual(s.map(label));
  const stateValues = (items: Item[]) =>
    fieldsOf(items)
      .filter((f) => STATE_KEYS.has(f.key))
      .map((f) => `${f.key} = ${f.value.replace(/^(\d+)\s*-/, '$1 -')}`);
  expect(stateValues(l), what).toEqual(stateValues(s));
  for (const [source, items] of [
    ['lab', l],
    ['seed', s],
  ] as const) {
    for (const f of fieldsOf(items)) {
      const shape = SHAPES[f.key];
      if (shape) expect(f.value, `${what}: ${source}'s ${f.key}`).toMatch(shape);
    }
  }
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
      l
        .replace(/^Directory of \S+/, 'DIR')
        .replace(/^\s*\d+\s+-rw-\s+\d+\s+\w{3}\s+\d+ \d{4} [\d:]+ [+-]\d\d:\d\d\s+\S+$/, 'FILE')
        .replace(/^\d+ bytes total \(\d+ bytes free\)$/, 'TOTAL');
    expect(lab.map(shape)).toEqual(['DIR', ...lab.slice(1, -1).map(() => 'FILE'), 'TOTAL']);
    expect(dir.map(shape)).toEqual(['DIR', 'FILE', 'FILE', 'FILE', 'FILE', 'TOTAL']);
  });

  it('after loadversion: show issu state and show redundancy state', () => {
    expect(ch.loadVersion(['a', `disk0:${NEW}`, 'b', `stby-disk0:${NEW}`]).ok).toBe(true);
    clock.advance(reload);
    expectSameFields(
      cisco.showIssuState(ch, false, clock.now()),
      next('show issu state'),
      'show issu state (Load Version)',
    );
    expectSameFields(
      cisco.showRedundancyStates(ch),
      next('show redundancy state'),
      'show redundancy state (Load Version)',
    );
    expect(cisco.showIssuState(ch, false, clock.now()).join('\n')).toContain(
      `Boot Variable = disk0:${NEW},12;disk0:${OLD},1;`,
    );
    // Indentation is not compared above (the seed's HTML lost most of it); its first samples put
    // every key at column 16, and so does the lab.
    expect(cisco.showIssuState(ch, true, clock.now()).every((l) => /^ {16}\S/.test(l))).toBe(true);
  });

  it('after runversion: show redundancy, show issu state [detail], show issu rollback-timer', () => {
    expect(ch.runVersion(['b', `stby-disk0:${NEW}`]).ok).toBe(true);
    ch.commitRunVersion();
    clock.advance(reload);
    expectSameFields(cisco.showRedundancy(ch, clock.now()), next('show redundancy'), 'show redundancy (Run Version)');
    expectSameFields(
      cisco.showIssuState(ch, false, clock.now()),
      next('show issu state'),
      'show issu state (Run Version)',
    );
    expectSameFields(
      cisco.showIssuState(ch, true, clock.now()),
      next('show issu state detail'),
      'show issu state detail (Run Version)',
    );
    clock.advance(45 * 60_000 - 29 * 60_000 - 3000 - reload);
    const timer = cisco.showRollbackTimer(ch);
    expectSameFields(timer, next('show issu rollback-timer'), 'show issu rollback-timer');
    expect(timer.filter((l) => l.trim())).toEqual([
      'Rollback Process State = In progress',
      'Configured Rollback Time = 45:00',
      'Automatic Rollback Time = 29:03',
    ]);
  });

  it('after acceptversion and commitversion: show redundancy states, show redundancy, show issu state [detail]', () => {
    expect(ch.acceptVersion(['b', `disk0:${NEW}`]).ok).toBe(true);
    expect(ch.commitVersion(['a', `stby-disk0:${NEW}`]).ok).toBe(true);
    clock.advance(reload);
    expectSameFields(
      cisco.showRedundancyStates(ch),
      next('show redundancy states'),
      'show redundancy states (committed)',
    );
    expectSameFields(cisco.showRedundancy(ch, clock.now()), next('show redundancy'), 'show redundancy (committed)');
    expectSameFields(
      cisco.showIssuState(ch, false, clock.now()),
      next('show issu state'),
      'show issu state (committed)',
    );
    expectSameFields(
      cisco.showIssuState(ch, true, clock.now()),
      next('show issu state detail'),
      'show issu state detail (committed)',
    );
  });

  it('the rollback timer sample at the end of the document', () => {
    expect(skeleton(next('show issu rollback-timer')).map(label)).toEqual([
      'Rollback Process State =',
      'Configured Rollback Time =',
      'Automatic Rollback Time =',
    ]);
  });
});

describe('golden: the Junos in-service-upgrade stream against seed 001', () => {
  it('prints every quoted run of lines, consecutively and in order', () => {
    const clock = new ManualClock();
    const ch = new JunosChassis({
      hostname: 'mx',
      clock,
      timeScale: 1,
      lossWindowMs: 500,
      events: { syslog: () => undefined, dropSessions: () => undefined, reachability: () => undefined },
    });
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
