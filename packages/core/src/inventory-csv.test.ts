import type { Device } from '@hitless/contracts';
import { describe, expect, it } from 'vitest';
import {
  checkCsvHeader,
  csvCellValue,
  csvSafeCell,
  deviceFieldsIn,
  devicesFromCsv,
  deviceToCsv,
  parseVendor,
} from './inventory-csv.ts';

const base = {
  hostname: 'pe1.lab',
  mgmt_address: '127.10.0.1',
  vendor: 'CISCO_IOS',
  platform: 'c10k',
};

describe('inventory CSV', () => {
  it('accepts vendor aliases in any case', () => {
    expect(parseVendor('ios-xe')).toBe('CISCO_IOSXE');
    expect(parseVendor('Junos')).toBe('JUNOS');
    expect(parseVendor('arista')).toBeUndefined();
  });

  it('reports unknown, duplicate and missing header columns', () => {
    const errors = checkCsvHeader(['hostname', 'vendor', 'vendor', 'colour']);
    expect(errors.map((e) => e.message)).toEqual([
      'column "vendor" appears twice',
      expect.stringContaining('unknown column "colour"'),
      'required column "mgmt_address" is missing',
      'required column "platform" is missing',
    ]);
  });

  it('maps cells to a device with defaults, tags and a credential name', () => {
    const { rows, errors } = devicesFromCsv([
      { line: 2, cells: { ...base, port: '', tags: 'core; pe  lab', site: '', credential: 'lab-admin' } },
    ]);
    expect(errors).toEqual([]);
    expect(rows[0]).toEqual({
      line: 2,
      credentialName: 'lab-admin',
      device: {
        hostname: 'pe1.lab',
        mgmtAddress: '127.10.0.1',
        port: 22,
        vendor: 'CISCO_IOS',
        platform: 'c10k',
        site: null,
        tags: ['core', 'pe', 'lab'],
        redundancyGroup: null,
        currentVersion: null,
        notes: null,
      },
    });
  });

  it('names the line and the column of every bad cell, and returns no rows then', () => {
    const { rows, errors } = devicesFromCsv([
      { line: 2, cells: { ...base } },
      {
        line: 3,
        cells: { ...base, hostname: 'pe2', mgmt_address: 'not an address!', port: '70000', vendor: 'arista' },
      },
      { line: 4, cells: { ...base, mgmt_address: '127.10.0.9' } },
      { line: 5, cells: { ...base, hostname: 'pe5', mgmt_address: '127.10.0.5', port: '22abc' } },
      { line: 6, cells: { ...base, hostname: 'pe6', mgmt_address: '127.10.0.6', port: '2.5' } },
    ]);
    expect(rows).toEqual([]);
    expect(errors).toEqual([
      { line: 3, field: 'vendor', message: expect.stringContaining('unknown vendor "arista"') },
      { line: 3, field: 'mgmt_address', message: 'must be an IPv4/IPv6 address or a DNS name' },
      { line: 3, field: 'port', message: 'must be between 1 and 65535' },
      { line: 4, field: 'hostname', message: 'hostname pe1.lab already appears on line 2' },
      { line: 5, field: 'port', message: 'must be a number' },
      { line: 6, field: 'port', message: 'must be a number' },
    ]);
  });

  it('round-trips a device through its CSV cells', () => {
    const device: Device = {
      id: '7d7d7d7d-0000-4000-8000-000000000001',
      hostname: 'mx1.lab',
      mgmtAddress: '::1',
      port: 830,
      vendor: 'JUNOS',
      platform: 'MX480',
      site: 'AMS1',
      tags: ['edge', 'p1'],
      redundancyGroup: 'ams-edge',
      credentialId: '7d7d7d7d-0000-4000-8000-000000000002',
      credentialName: 'lab',
      facts: null,
      factsUpdatedAt: null,
      currentVersion: '10.1R1.8',
      notes: 'rack 4, "top"',
      hostKeys: [],
      offeredHostKey: null,
      legacySsh: false,
      platformFamily: 'mx',
      lastRun: null,
      issuState: null,
      compliance: { status: 'no-golden', goldenVersion: null },
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    const { rows, errors } = devicesFromCsv([{ line: 2, cells: deviceToCsv(device) }]);
    expect(errors).toEqual([]);
    expect(rows[0]!.credentialName).toBe('lab');
    expect(rows[0]!.device).toMatchObject({
      hostname: 'mx1.lab',
      mgmtAddress: '::1',
      port: 830,
      vendor: 'JUNOS',
      site: 'AMS1',
      tags: ['edge', 'p1'],
      redundancyGroup: 'ams-edge',
      currentVersion: '10.1R1.8',
      notes: 'rack 4, "top"',
    });
  });

  it('neutralises cells a spreadsheet would run as formulas, and takes the guard off on import', () => {
    expect(csvSafeCell('=HYPERLINK("http://evil")')).toBe(`'=HYPERLINK("http://evil")`);
    expect(csvSafeCell('-1 rack')).toBe("'-1 rack");
    expect(csvSafeCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvSafeCell("it's fine")).toBe("it's fine");
    expect(csvCellValue("'=1+1")).toBe('=1+1');
    expect(csvCellValue("'quoted")).toBe("'quoted");
    const { rows } = devicesFromCsv([
      {
        line: 2,
        cells: {
          hostname: 'pe9.lab',
          mgmt_address: '127.0.0.9',
          vendor: 'ios',
          platform: 'c10k',
          notes: csvSafeCell('+44 20 7946 0000 (NOC)'),
          site: csvSafeCell('@lon'),
        },
      },
    ]);
    expect(rows[0]!.device).toMatchObject({ notes: '+44 20 7946 0000 (NOC)', site: '@lon' });
  });

  it('judges addresses in a file without a port column by the ports the devices keep', () => {
    const kept = new Map([['pb.lab', 830]]);
    const cells = (hostname: string, address: string) => ({
      hostname,
      mgmt_address: address,
      vendor: 'junos',
      platform: 'MX480',
    });
    const records = [
      { line: 2, cells: cells('pa.lab', '127.61.0.1') },
      { line: 3, cells: cells('pb.lab', '127.61.0.1') },
    ];
    expect(devicesFromCsv(records, { keptPort: (h) => kept.get(h) }).errors).toEqual([]);
    expect(devicesFromCsv(records).errors).toEqual([
      { line: 3, field: 'mgmt_address', message: '127.61.0.1:22 already appears on line 2' },
    ]);
    // A port column says it all: the kept port no longer counts.
    const withPort = records.map((r) => ({ ...r, cells: { ...r.cells, port: '22' } }));
    expect(devicesFromCsv(withPort, { keptPort: (h) => kept.get(h) }).errors).toHaveLength(1);
  });

  it('says which fields a file sets, so an upsert leaves the others alone', () => {
    expect(deviceFieldsIn(['hostname', 'mgmt_address', 'vendor', 'platform'])).toEqual([
      'hostname',
      'mgmtAddress',
      'vendor',
      'platform',
    ]);
    expect(deviceFieldsIn(['hostname', 'mgmt_address', 'vendor', 'platform', 'credential', 'tags', 'port'])).toEqual([
      'hostname',
      'mgmtAddress',
      'port',
      'vendor',
      'platform',
      'tags',
      'credentialId',
    ]);
  });
});
