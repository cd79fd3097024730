// The vendor's compatibility matrix as CSV: dry run, apply, per-line errors, all or nothing.
import { describe, expect, it } from 'vitest';
import { type Client, fileHarness } from './harness.ts';

const t = fileHarness();

const send = (who: Client, csv: string, dryRun: boolean) =>
  who.request({
    method: 'POST',
    url: `/api/v1/compatibility/import?dryRun=${dryRun}`,
    headers: { 'content-type': 'text/csv' },
    payload: csv,
  });
const entries = (family: string) =>
  t.h.database.db.compatibilityEntry.findMany({ where: { platformFamily: family }, orderBy: { toVersion: 'asc' } });

const HEADER = 'vendor,platform_family,from_version,to_version,level,source,notes';

describe('compatibility CSV import', () => {
  it('counts in a dry run without writing, then applies and reports created / updated / unchanged', async () => {
    await t.op.post('/api/v1/compatibility', {
      vendor: 'CISCO_IOSXE',
      platformFamily: 'imp-a',
      fromVersion: '03.06.00.E',
      toVersion: '03.06.01.E',
      level: 'B',
    });
    await t.op.post('/api/v1/compatibility', {
      vendor: 'CISCO_IOSXE',
      platformFamily: 'imp-a',
      fromVersion: '03.06.00.E',
      toVersion: '03.06.02.E',
      level: 'C',
    });
    const csv = [
      HEADER,
      'CISCO_IOSXE,imp-a,03.06.00.E,03.06.01.E,C,vendor matrix 2026,', // level B → C: updated
      'cisco_iosxe,IMP-A,03.06.00.E,03.06.02.E,c,,', // same: unchanged (case folded)
      'CISCO_IOSXE,imp-a,03.06.00.E,03.07.00.E,I,vendor matrix 2026,"barrier, see notes"', // created
    ].join('\n');

    const dry = await send(t.op, csv, true);
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toEqual({ dryRun: true, created: 1, updated: 1, unchanged: 1, families: ['CISCO_IOSXE/imp-a'] });
    expect((await entries('imp-a')).map((e) => e.level)).toEqual(['B', 'C']);
    expect(await t.h.database.db.auditEvent.count({ where: { action: 'compatibility.imported' } })).toBe(0);

    const applied = await send(t.op, csv, false);
    expect(applied.json()).toMatchObject({ dryRun: false, created: 1, updated: 1, unchanged: 1 });
    const after = await entries('imp-a');
    expect(after.map((e) => [e.toVersion, e.level])).toEqual([
      ['03.06.01.E', 'C'],
      ['03.06.02.E', 'C'],
      ['03.07.00.E', 'I'],
    ]);
    expect(after[2]!.notes).toBe('barrier, see notes');
    const audit = await t.h.database.db.auditEvent.findMany({ where: { action: 'compatibility.imported' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ created: 1, updated: 1, unchanged: 1, families: ['CISCO_IOSXE/imp-a'] });

    // The same file again changes nothing; the export reads back in unchanged.
    expect((await send(t.op, csv, false)).json()).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    const exported = await t.op.get('/api/v1/compatibility/export.csv?platformFamily=imp-a');
    expect(exported.headers['content-type']).toMatch(/text\/csv/);
    expect(exported.body.split('\n')[0]).toBe(HEADER);
    expect((await send(t.op, exported.body, true)).json()).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
  });

  it('rejects the whole file on any bad row, naming each line and column; nothing is written', async () => {
    const csv = [
      HEADER,
      'JUNOS,imp-b,21.4R3,22.4R1,C,,',
      'JUNOS,imp-b,22.4R1,23.2R1,X,,', // line 3: unknown level
      'JUNOS,imp-b,23.2R1,23.2R1,C,,', // line 4: same versions
      'NOKIA,imp-b,23.2R1,23.4R1,C,,', // line 5: unknown vendor
      'JUNOS,imp-b,21.4R3,22.4R1,B,,', // line 6: the pair of line 2 again
    ].join('\n');
    for (const dryRun of [true, false]) {
      const res = await send(t.op, csv, dryRun);
      expect(res.statusCode, res.body).toBe(400);
      const body = res.json();
      expect(body.message).toMatch(/nothing was imported/);
      const byLine = Object.fromEntries(
        (body.errors as { line: number; field: string; message: string }[]).map((e) => [e.line, e]),
      );
      expect(Object.keys(byLine).map(Number)).toEqual([3, 4, 5, 6]);
      expect(byLine[3]).toMatchObject({ field: 'level', message: 'must be C, B or I' });
      expect(byLine[4]).toMatchObject({ field: 'to_version', message: 'from and to versions must differ' });
      expect(byLine[5]).toMatchObject({ field: 'vendor' });
      expect(byLine[6]).toMatchObject({ message: 'the same pair is on line 2' });
    }
    expect(await entries('imp-b')).toHaveLength(0);
  });

  it('names unknown and missing columns, refuses a JSON body and a viewer', async () => {
    const res = await send(t.op, 'vendor,family,from_version,to_version,level\nJUNOS,mx,a,b,C', true);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      expect.objectContaining({ line: 1, field: 'family', message: expect.stringMatching(/unknown column/) }),
      expect.objectContaining({ line: 1, field: 'platform_family', message: 'required column is missing' }),
    ]);
    const json = await t.op.post('/api/v1/compatibility/import', { csv: 'x' });
    expect(json.statusCode).toBe(415);
    expect((await send(t.viewer, `${HEADER}\nJUNOS,mx,a,b,C,,`, false)).statusCode).toBe(403);
    const broken = await send(t.op, `${HEADER}\nJUNOS,mx,"a,b,C,,`, true);
    expect(broken.statusCode).toBe(400);
    expect(broken.json().message).toMatch(/CSV syntax error/);
  });
});
