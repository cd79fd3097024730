import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Client, type Harness } from './harness.ts';

let h: Harness;
let op: Client;
let admin: Client;
beforeAll(async () => {
  h = await startHarness();
  op = await h.as('OPERATOR');
  admin = await h.as('ADMIN');
  await admin.post('/api/v1/credentials', { name: 'lab-admin', username: 'admin', secret: 'cisco' });
});
afterAll(async () => h.close());

const importCsv = (client: Client, csv: string, qs = '') =>
  client.request({
    method: 'POST',
    url: `/api/v1/devices/import${qs}`,
    payload: csv,
    headers: { 'content-type': 'text/csv' },
  });

const HEADER = 'hostname,mgmt_address,port,vendor,platform,site,tags,redundancy_group,credential,current_version,notes';

describe('CSV import and export', () => {
  it('round-trips the inventory: export, import into an empty inventory, export again gives the same file', async () => {
    const csv = [
      HEADER,
      'csv-a.lab,127.40.0.1,22,CISCO_IOS,c10k,AMS,core pe,grp-1,lab-admin,12.2(33)SB,"rack 4, ""top"""',
      'csv-b.lab,127.40.0.2,,ios-xe,ASR1006,FRA,,,,"",',
      'csv-c.lab,::1,830,junos,MX480,,edge;p1,grp-1,lab-admin,10.1R1.8,',
    ].join('\n');
    const first = await importCsv(op, csv);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ dryRun: false, created: 3, updated: 0, unchanged: 0 });

    const exported = await op.get('/api/v1/devices/export.csv?q=csv-');
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
    expect(exported.headers['content-disposition']).toMatch(
      /attachment; filename="hitless-devices-\d{4}-\d{2}-\d{2}.csv"/,
    );
    const lines = exported.body.trim().split('\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines).toHaveLength(4);

    // Into a second, empty inventory: the same devices come out.
    const other = await startHarness();
    try {
      const otherAdmin = await other.as('ADMIN');
      await otherAdmin.post('/api/v1/credentials', { name: 'lab-admin', username: 'admin', secret: 'cisco' });
      const imported = await importCsv(otherAdmin, exported.body);
      expect(imported.json()).toMatchObject({ created: 3 });
      const again = await otherAdmin.get('/api/v1/devices/export.csv');
      expect(again.body).toBe(exported.body);
    } finally {
      await other.close();
    }

    // Importing the same file again changes nothing.
    expect((await importCsv(op, exported.body)).json()).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
  });

  it('updates existing devices by hostname in upsert mode and refuses them in create mode', async () => {
    await importCsv(op, `${HEADER}\nup-1.lab,127.41.0.1,22,CISCO_IOS,c10k,AMS,,,,,`);
    const upsert = await importCsv(
      op,
      `hostname,mgmt_address,vendor,platform,site\nUP-1.lab,127.41.0.1,CISCO_IOS,c10k,LON\nup-2.lab,127.41.0.2,JUNOS,MX480,LON`,
    );
    expect(upsert.json()).toMatchObject({ created: 1, updated: 1 });
    expect((await op.get('/api/v1/devices?q=up-1')).json().items[0].site).toBe('LON');
    const create = await importCsv(
      op,
      `hostname,mgmt_address,vendor,platform\nup-1.lab,127.41.0.1,CISCO_IOS,c10k`,
      '?mode=create',
    );
    expect(create.statusCode).toBe(400);
    expect(create.json().errors).toEqual([
      { line: 2, field: 'hostname', message: 'up-1.lab already exists in the inventory' },
    ]);
  });

  it('changes only the columns a file has on existing devices: a missing column keeps its value, an empty cell clears it', async () => {
    const full = await importCsv(
      op,
      `${HEADER}\npart-1.lab,127.42.0.1,830,JUNOS,MX480,AMS,edge core,ams-pair,lab-admin,10.1R1.8,rack 4`,
    );
    expect(full.json()).toMatchObject({ created: 1 });
    const partial = await importCsv(
      op,
      `hostname,mgmt_address,vendor,platform,site\npart-1.lab,127.42.0.1,JUNOS,MX480-2,`,
    );
    expect(partial.statusCode).toBe(200);
    expect(partial.json()).toMatchObject({ updated: 1 });
    const device = (await op.get('/api/v1/devices?q=part-1')).json().items[0];
    expect(device).toMatchObject({
      platform: 'MX480-2',
      site: null,
      port: 830,
      tags: ['edge', 'core'],
      redundancyGroup: 'ams-pair',
      credentialName: 'lab-admin',
      currentVersion: '10.1R1.8',
      notes: 'rack 4',
    });
    // The same file again changes nothing.
    expect(
      (await importCsv(op, `hostname,mgmt_address,vendor,platform,site\npart-1.lab,127.42.0.1,JUNOS,MX480-2,`)).json(),
    ).toMatchObject({ updated: 0, unchanged: 1 });
  });

  it('keeps a device’s port when the file has no port column, also when judging address clashes', async () => {
    await importCsv(
      op,
      `hostname,mgmt_address,port,vendor,platform\nkeep-a.lab,127.62.0.1,22,JUNOS,MX480\nkeep-b.lab,127.62.0.2,830,JUNOS,MX480`,
    );
    // keep-b moves to keep-a's address but stays on port 830: no clash.
    const moved = await importCsv(
      op,
      `hostname,mgmt_address,vendor,platform\nkeep-a.lab,127.62.0.1,JUNOS,MX480\nkeep-b.lab,127.62.0.1,JUNOS,MX480`,
    );
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ updated: 1, unchanged: 1 });
    const b = (await op.get('/api/v1/devices?q=keep-b')).json().items[0];
    expect(b).toMatchObject({ mgmtAddress: '127.62.0.1', port: 830 });
  });

  it('lets devices trade management addresses in one import', async () => {
    await importCsv(
      op,
      `hostname,mgmt_address,vendor,platform\nswap-a.lab,127.46.0.1,CISCO_IOS,c10k\nswap-b.lab,127.46.0.2,CISCO_IOS,c10k`,
    );
    const swapped = await importCsv(
      op,
      `hostname,mgmt_address,vendor,platform\nswap-a.lab,127.46.0.2,CISCO_IOS,c10k\nswap-b.lab,127.46.0.1,CISCO_IOS,c10k`,
    );
    expect(swapped.statusCode).toBe(200);
    expect(swapped.json()).toMatchObject({ updated: 2 });
    const items = (await op.get('/api/v1/devices?q=swap-&sort=hostname')).json().items as {
      hostname: string;
      mgmtAddress: string;
    }[];
    expect(items.map((d) => `${d.hostname}=${d.mgmtAddress}`)).toEqual([
      'swap-a.lab=127.46.0.2',
      'swap-b.lab=127.46.0.1',
    ]);
  });

  it('exports cells a spreadsheet would run as formulas with a guard the import takes off', async () => {
    await op.post('/api/v1/devices', {
      hostname: 'formula.lab',
      mgmtAddress: '127.47.0.1',
      vendor: 'JUNOS',
      platform: 'MX480',
      notes: '=HYPERLINK("http://x","y")',
      site: '+44',
    });
    const exported = await op.get('/api/v1/devices/export.csv?q=formula');
    expect(exported.body).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(exported.body).toContain(",'+44,");
    await op.delete(`/api/v1/devices/${(await op.get('/api/v1/devices?q=formula')).json().items[0].id}`);
    expect((await importCsv(op, exported.body)).json()).toMatchObject({ created: 1 });
    expect((await op.get('/api/v1/devices?q=formula')).json().items[0]).toMatchObject({
      notes: '=HYPERLINK("http://x","y")',
      site: '+44',
    });
  });

  it('rejects the whole file, listing every bad line and column, and writes nothing', async () => {
    const before = (await op.get('/api/v1/devices')).json().total;
    const csv = [
      'hostname,mgmt_address,vendor,platform,credential',
      'ok-1.lab,127.42.0.1,CISCO_IOS,c10k,',
      'bad host,127.42.0.2,CISCO_IOS,c10k,',
      'ok-2.lab,127.42.0.3,arista,c10k,',
      'ok-3.lab,127.42.0.4,JUNOS,MX480,no-such-cred',
      'ok-1.lab,127.42.0.5,JUNOS,MX480,',
    ].join('\r\n');
    const res = await importCsv(op, csv);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors).toEqual([
      { line: 3, field: 'hostname', message: expect.stringContaining('valid host name') },
      { line: 4, field: 'vendor', message: expect.stringContaining('unknown vendor "arista"') },
      { line: 6, field: 'hostname', message: 'hostname ok-1.lab already appears on line 2' },
    ]);
    // Fix those and the credential is the next problem; still nothing written.
    const res2 = await importCsv(
      op,
      ['hostname,mgmt_address,vendor,platform,credential', 'ok-3.lab,127.42.0.4,JUNOS,MX480,no-such-cred'].join('\n'),
    );
    expect(res2.json().errors).toEqual([
      { line: 2, field: 'credential', message: 'no credential named "no-such-cred"' },
    ]);
    expect((await op.get('/api/v1/devices')).json().total).toBe(before);
  });

  it('reports header problems, CSV syntax errors with their line, empty bodies and wrong content types', async () => {
    const header = await importCsv(op, 'hostname,colour\nx,y');
    expect(header.statusCode).toBe(400);
    expect(header.json().errors.map((e: { message: string }) => e.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('unknown column "colour"'),
        'required column "mgmt_address" is missing',
      ]),
    );
    const syntax = await importCsv(op, 'hostname,mgmt_address,vendor,platform\n"unterminated,127.0.0.9,JUNOS,MX480\n');
    expect(syntax.statusCode).toBe(400);
    expect(syntax.json().message).toMatch(/CSV syntax error/);
    const ragged = await importCsv(op, 'hostname,mgmt_address,vendor,platform\na.lab,127.0.0.9,JUNOS\n');
    expect(ragged.statusCode).toBe(400);
    expect(ragged.json().message).toMatch(/line 2/);
    expect((await importCsv(op, '')).statusCode).toBe(400);
    const json = await op.request({ method: 'POST', url: '/api/v1/devices/import', payload: { a: 1 } });
    expect(json.statusCode).toBe(415);
    expect(json.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('previews without writing in dry-run mode', async () => {
    const res = await importCsv(
      op,
      'hostname,mgmt_address,vendor,platform\ndry-1.lab,127.43.0.1,JUNOS,MX480',
      '?dryRun=true',
    );
    expect(res.json()).toMatchObject({ dryRun: true, created: 1, hostnames: ['dry-1.lab'] });
    expect((await op.get('/api/v1/devices?q=dry-1')).json().total).toBe(0);
  });

  it('audits an import as one event and refuses it to viewers', async () => {
    await importCsv(
      op,
      'hostname,mgmt_address,vendor,platform\naud-1.lab,127.44.0.1,JUNOS,MX480\naud-2.lab,127.44.0.2,JUNOS,MX480',
    );
    const events = await h.database.db.auditEvent.findMany({
      where: { action: 'device.imported', actorName: op.username },
    });
    expect(events.at(-1)!.details).toMatchObject({ created: 2 });
    const viewer = await h.as('VIEWER');
    expect((await importCsv(viewer, 'hostname\nx')).statusCode).toBe(403);
    expect((await viewer.get('/api/v1/devices/export.csv')).statusCode).toBe(200);
  });
});
