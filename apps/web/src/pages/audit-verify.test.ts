// The audit chain's verification, said plainly: "Chain verified: N entries, last checkpoint …"
// or "Broken at entry #N: …" (with the reason), rendered as the page renders it.
import type { AuditVerifyResult } from '@hitless/contracts';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { VerifyResult } from './AuditVerify.tsx';

const text = (result: AuditVerifyResult) =>
  renderToStaticMarkup(createElement(VerifyResult, { result }))
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/&#x27;/g, "'")
    .trim();

const base: AuditVerifyResult = {
  ok: true,
  checked: 1234,
  brokenAt: null,
  problem: null,
  problems: 0,
  intactFrom: { id: '1', at: '2026-12-01T08:00:00.000Z' },
  head: { id: '1234', hash: 'h', at: '2026-12-03T09:00:00.000Z' },
  lastCheckpoint: { seq: 7, at: '2026-12-03T08:55:00.000Z', headId: '1230' },
  unkeyed: 0,
  checkpoints: { checked: 7, matched: 7, forged: 0, unreadable: 0, missing: false },
  warnings: [],
};

describe('VerifyResult', () => {
  it('says the chain verified, how many entries, and the last checkpoint', () => {
    expect(text(base)).toMatch(
      /^Chain verified: 1,234 entries, last checkpoint .*2026.* at entry #1230; newest entry #1234/,
    );
    expect(text({ ...base, checked: 1, lastCheckpoint: null })).toMatch(
      /^Chain verified: 1 entry, no signed checkpoint yet/,
    );
  });

  it('says where it broke and why', () => {
    const broken = text({
      ...base,
      ok: false,
      brokenAt: '812',
      problems: 2,
      intactFrom: { id: '813', at: '2026-12-02T08:00:00.000Z' },
      problem: {
        reason: 'content-changed',
        rowId: '812',
        message: 'event 812 does not match its hash',
        checkpoint: null,
      },
    });
    expect(broken).toMatch(/^Broken at entry #812: event 812 does not match its hash/);
    expect(broken).toContain('Reason: an event was changed after it was written (content-changed); 2 problems in all.');
    expect(broken).toContain('intact from entry #813');
  });

  it('says so when the entries concerned are gone, and shows warnings', () => {
    const gone = text({
      ...base,
      ok: false,
      problems: 1,
      problem: {
        reason: 'rows-missing-after-checkpoint',
        rowId: null,
        message: 'events up to #1240 were checkpointed and are gone',
        checkpoint: { seq: 8, at: '2026-12-03T09:00:00.000Z', headId: '1240' },
      },
      warnings: ['the checkpoint file cannot be written (EACCES)'],
    });
    expect(gone).toMatch(/^Broken: events up to #1240 were checkpointed and are gone/);
    expect(gone).toContain('the entries concerned are gone from the table');
    expect(gone).toContain('Warning: the checkpoint file cannot be written (EACCES)');
  });
});
