// Devices as CSV: the mapping between CSV records (column → cell text) and device inputs.
// Parsing the CSV syntax itself is csv-parse's job in the API; this is the domain part:
// column names, vendor aliases, tags in one cell, and per-line, per-field errors.
import {
  DEVICE_CSV_COLUMNS,
  DEVICE_CSV_REQUIRED,
  DeviceCreate,
  portFromText,
  type Device,
  type ImportRowError,
  type Vendor,
} from '@hitless/contracts';

type Column = (typeof DEVICE_CSV_COLUMNS)[number];

const FIELD_TO_COLUMN: Record<string, Column> = {
  hostname: 'hostname',
  mgmtAddress: 'mgmt_address',
  port: 'port',
  vendor: 'vendor',
  platform: 'platform',
  site: 'site',
  tags: 'tags',
  redundancyGroup: 'redundancy_group',
  credentialId: 'credential',
  currentVersion: 'current_version',
  notes: 'notes',
};

const VENDOR_ALIASES: Record<string, Vendor> = {
  cisco_ios: 'CISCO_IOS',
  ios: 'CISCO_IOS',
  'cisco ios': 'CISCO_IOS',
  cisco_iosxe: 'CISCO_IOSXE',
  iosxe: 'CISCO_IOSXE',
  'ios-xe': 'CISCO_IOSXE',
  'ios xe': 'CISCO_IOSXE',
  'cisco ios-xe': 'CISCO_IOSXE',
  junos: 'JUNOS',
  juniper: 'JUNOS',
  'juniper junos': 'JUNOS',
};

export interface CsvRecord {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  cells: Record<string, string>;
}

export interface DeviceImportRow {
  line: number;
  /** Without credentialId: the credential is named in the file and resolved by the caller. */
  device: Omit<DeviceCreate, 'credentialId'>;
  credentialName: string | null;
}

export function checkCsvHeader(columns: string[]): ImportRowError[] {
  const errors: ImportRowError[] = [];
  const known = new Set<string>(DEVICE_CSV_COLUMNS);
  const seen = new Set<string>();
  for (const c of columns) {
    if (!known.has(c))
      errors.push({ line: 1, field: c, message: `unknown column "${c}"; expected ${DEVICE_CSV_COLUMNS.join(', ')}` });
    if (seen.has(c)) errors.push({ line: 1, field: c, message: `column "${c}" appears twice` });
    seen.add(c);
  }
  for (const r of DEVICE_CSV_REQUIRED) {
    if (!seen.has(r)) errors.push({ line: 1, field: r, message: `required column "${r}" is missing` });
  }
  return errors;
}

/**
 * The device fields a file with these columns sets. An upsert changes only those on an existing
 * device: a column left out of the file leaves the value alone, an empty cell clears it.
 */
export function deviceFieldsIn(columns: string[]): (keyof DeviceCreate)[] {
  const present = new Set(columns);
  return (Object.keys(FIELD_TO_COLUMN) as (keyof DeviceCreate)[]).filter((f) => present.has(FIELD_TO_COLUMN[f]!));
}

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab / carriage return) as a formula.
 * Exported cells that start so get a leading apostrophe, which spreadsheets hide and the import
 * takes off again, so a file round-trips unchanged (OWASP "CSV injection").
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvSafeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function csvCellValue(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

export function parseVendor(cell: string): Vendor | undefined {
  const key = cell.trim().toLowerCase();
  return VENDOR_ALIASES[key];
}

export function splitTags(cell: string): string[] {
  return cell.split(/[\s;,]+/).filter(Boolean);
}

/**
 * Validates every record. Returns rows only when there are no errors at all, so a caller can
 * apply an import all-or-nothing.
 */
export function devicesFromCsv(
  records: CsvRecord[],
  options: {
    /** An existing device's port, which a file without a port column leaves as it is (upsert). */
    keptPort?: (hostname: string) => number | undefined;
  } = {},
): { rows: DeviceImportRow[]; errors: ImportRowError[] } {
  const rows: DeviceImportRow[] = [];
  const errors: ImportRowError[] = [];
  const firstLineOfHostname = new Map<string, number>();
  const firstLineOfAddress = new Map<string, number>();

  for (const { line, cells } of records) {
    const cell = (c: Column) => csvCellValue((cells[c] ?? '').trim());
    const vendorCell = cell('vendor');
    const vendor = parseVendor(vendorCell);
    if (vendorCell && !vendor) {
      errors.push({
        line,
        field: 'vendor',
        message: `unknown vendor "${vendorCell}"; use CISCO_IOS, CISCO_IOSXE or JUNOS`,
      });
    }
    const candidate = {
      hostname: cell('hostname'),
      mgmtAddress: cell('mgmt_address'),
      port: cell('port') === '' ? undefined : portFromText(cell('port')),
      vendor: vendor ?? vendorCell,
      platform: cell('platform'),
      site: cell('site') || null,
      tags: splitTags(cell('tags')),
      redundancyGroup: cell('redundancy_group') || null,
      currentVersion: cell('current_version') || null,
      notes: cell('notes') || null,
    };
    const parsed = DeviceCreate.omit({ credentialId: true }).safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = FIELD_TO_COLUMN[String(issue.path[0])] ?? String(issue.path[0] ?? '');
        // The unknown-vendor message above is clearer than the enum's.
        if (field === 'vendor' && vendorCell && !vendor) continue;
        errors.push({ line, field, message: issue.message });
      }
      continue;
    }
    const device = parsed.data;
    const hostKey = device.hostname.toLowerCase();
    const port = 'port' in cells ? device.port : (options.keptPort?.(device.hostname) ?? device.port);
    const addrKey = `${device.mgmtAddress.toLowerCase()}:${port}`;
    const hostLine = firstLineOfHostname.get(hostKey);
    const addrLine = firstLineOfAddress.get(addrKey);
    if (hostLine !== undefined) {
      errors.push({
        line,
        field: 'hostname',
        message: `hostname ${device.hostname} already appears on line ${hostLine}`,
      });
      continue;
    }
    if (addrLine !== undefined) {
      errors.push({
        line,
        field: 'mgmt_address',
        message: `${device.mgmtAddress}:${port} already appears on line ${addrLine}`,
      });
      continue;
    }
    firstLineOfHostname.set(hostKey, line);
    firstLineOfAddress.set(addrKey, line);
    rows.push({ line, device, credentialName: cell('credential') || null });
  }
  return errors.length > 0 ? { rows: [], errors } : { rows, errors };
}

/** One device as CSV cells, in DEVICE_CSV_COLUMNS order; the inverse of devicesFromCsv. */
export function deviceToCsv(device: Device): Record<Column, string> {
  const cells: Record<Column, string> = {
    hostname: device.hostname,
    mgmt_address: device.mgmtAddress,
    port: String(device.port),
    vendor: device.vendor,
    platform: device.platform,
    site: device.site ?? '',
    tags: device.tags.join(' '),
    redundancy_group: device.redundancyGroup ?? '',
    credential: device.credentialName ?? '',
    current_version: device.currentVersion ?? '',
    notes: device.notes ?? '',
  };
  for (const c of Object.keys(cells) as Column[]) cells[c] = csvSafeCell(cells[c]);
  return cells;
}
