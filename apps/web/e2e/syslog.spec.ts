// The device's syslog in the dashboard, from the lab's own devices through the real collector:
// a Cisco ISSU's messages (%ISSU-5-…, %REDUNDANCY-3-SWITCHOVER, %RF-5-RF_TERMINAL_STATE) arrive
// on the run page live, as a tail beside the transcript and as ticks on the step timeline; the
// explorer finds them by device, text and severity, keeps its filters across a reload, shows an
// API refusal on its field, and, live, shows the line a Junos device logs for a command typed
// into it over SSH (UI_CMDLINE_READ_LINE). lab-bng002 and lab-mx002 are used by no other spec.
import type { Page } from '@playwright/test';
import ssh2 from 'ssh2';
import { expect, logIn, openUpgrade, test, type Seed } from './fixtures.ts';

const CISCO = 'lab-bng002';
const JUNOS = 'lab-mx002';
const TARGET = '12.2(33)SB9';
/** The lab's login on every simulated device (packages/sim fleet.ts); test credentials. */
const LAB_LOGIN = { username: 'admin', password: 'lab-admin-pw' };

interface LabDevice {
  id: string;
  hostname: string;
  mgmtAddress: string;
  port: number;
  currentVersion: string;
}

async function deviceNamed(seed: Seed, hostname: string): Promise<LabDevice> {
  const { items } = await (await seed.admin.get(`/api/v1/devices?q=${hostname}`)).json();
  const device = (items as LabDevice[]).find((d) => d.hostname === hostname);
  if (!device) throw new Error(`the lab has no ${hostname}`);
  return device;
}

/** Runs one command on a lab device over SSH (an exec request) and returns what it printed. */
function sshExec(device: LabDevice, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let out = '';
    client
      .on('ready', () =>
        client.exec(command, (err, stream) => {
          if (err) return reject(err);
          stream
            .on('data', (d: Buffer) => (out += d.toString()))
            .on('close', () => {
              client.end();
              resolve(out);
            });
          stream.stderr.on('data', (d: Buffer) => (out += d.toString()));
        }),
      )
      .on('error', reject)
      .connect({ host: device.mgmtAddress, port: device.port, ...LAB_LOGIN, readyTimeout: 10_000 });
  });
}

const rows = (page: Page) => page.getByRole('table', { name: 'Syslog messages' }).locator('tbody tr[data-id]');

test.describe.configure({ mode: 'serial' });

test('a Cisco ISSU logs to the run page live: the tail beside the transcript and ticks on the steps', async ({
  page,
  seed,
}) => {
  test.setTimeout(240_000);
  const { dialog } = await openUpgrade(page, seed, {
    tag: 'lab',
    vendor: 'CISCO_IOS',
    family: 'c10k',
    target: TARGET,
    hostname: CISCO,
  });
  await dialog.getByLabel('Accept automatically when post-checks pass').check();
  await dialog.getByRole('button', { name: 'Start upgrade' }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);

  // The page was open before the device logged anything: every line below arrives live.
  const tail = page.getByRole('log', { name: 'Device syslog' });
  await expect(tail).toContainText(`No syslog from ${CISCO} during this run yet`);
  await expect(page.getByRole('log', { name: 'Device transcript' })).toBeVisible();
  await expect(tail).toContainText('ISSU-5-ISSU_LOADVERSION', { timeout: 60_000 });
  await expect(tail).toContainText('ISSU-5-ISSU_RUNVERSION', { timeout: 90_000 });
  await expect(tail).toContainText('REDUNDANCY-3-SWITCHOVER');
  await expect(tail).toContainText('RF-5-RF_TERMINAL_STATE', { timeout: 90_000 });

  // Oldest at the top, newest at the bottom; the tail follows the end.
  const lines = tail.locator('.syslog-line');
  const texts = await lines.allTextContents();
  const at = (event: string) => texts.findIndex((t) => t.includes(event));
  expect(at('ISSU-5-ISSU_LOADVERSION')).toBeLessThan(at('ISSU-5-ISSU_RUNVERSION'));
  expect(
    await tail.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight),
    'the tail shows its newest line',
  ).toBeLessThan(24);

  // Severity sets the colour: the switchover is an error (3), the ISSU messages notices (5).
  const switchover = lines.filter({ hasText: 'REDUNDANCY-3-SWITCHOVER' }).first();
  await expect(switchover.locator('.sev')).toHaveText('err');
  await expect(switchover).toHaveClass(/sev-line-3/);
  await expect(lines.filter({ hasText: 'ISSU-5-ISSU_RUNVERSION' }).first().locator('.sev')).toHaveText('notice');

  // Each line is a tick on the step it fell in; hovering names it, clicking shows it in the tail.
  const steps = page.getByRole('list', { name: 'Steps' });
  const loadMarks = steps
    .locator('[data-step="loadversion"]')
    .getByRole('group', { name: /^Syslog during loadversion/ });
  await expect(loadMarks).toBeVisible();
  const loadTick = loadMarks.getByRole('button', { name: /ISSU-5-ISSU_LOADVERSION/ });
  await expect(loadTick).toHaveAttribute('title', /notice ISSU-5-ISSU_LOADVERSION: Loadversion of/);
  const runMarks = steps.locator('[data-step="runversion"]').getByRole('group', { name: /^Syslog during runversion/ });
  await expect(runMarks.getByRole('button', { name: /REDUNDANCY-3-SWITCHOVER/ })).toBeVisible();
  await loadTick.click();
  await expect(lines.filter({ hasText: 'ISSU-5-ISSU_LOADVERSION' }).first()).toHaveClass(/syslog-line-focus/);

  // The run completes by itself (accepted automatically); its last lines arrive too.
  await expect(page.locator('.page-actions [data-status="COMPLETED"]')).toBeVisible({ timeout: 150_000 });
  await expect(tail).toContainText('ISSU-5-ISSU_COMMITVERSION');
  const total = await lines.count();
  await page.reload();
  await expect(lines).toHaveCount(total);
});

test('the explorer finds the run’s lines by device, text and severity, keeps its filters and tails live', async ({
  page,
  seed,
}) => {
  test.setTimeout(120_000);
  const cisco = await deviceNamed(seed, CISCO);
  const junos = await deviceNamed(seed, JUNOS);
  await logIn(page, await seed.user('VIEWER'));
  await expect(page.getByRole('heading', { name: 'Inventory' })).toBeVisible();
  await page.goto('/syslog');
  await expect(page.getByRole('heading', { name: 'Syslog' })).toBeVisible();
  const filters = page.getByRole('search', { name: 'Syslog filters' });
  const table = page.getByRole('table', { name: 'Syslog messages' });

  // By device: picked by hostname, kept in the address by id.
  await filters.getByLabel('Device').fill(CISCO);
  await expect(page).toHaveURL(new RegExp(`deviceId=${cisco.id}`));
  await expect(table).toContainText('ISSU-5-ISSU_RUNVERSION');
  await expect(rows(page).filter({ hasNotText: CISCO })).toHaveCount(0);
  const all = await rows(page).count();

  // By text: literal, case-insensitive, in the event name or the message.
  await filters.getByLabel('Text', { exact: true }).fill('runversion complete');
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText('ISSU-5-ISSU_RUNVERSION');
  await filters.getByLabel('Text', { exact: true }).fill('');

  // Severity at most err: the switchover stays, the notices go.
  await filters.getByLabel('Severity (at most)').selectOption('err');
  await expect(table).toContainText('REDUNDANCY-3-SWITCHOVER');
  await expect(table).not.toContainText('ISSU-5-ISSU_RUNVERSION');
  const severe = await rows(page).count();
  expect(severe).toBeGreaterThan(0);
  expect(severe).toBeLessThan(all);
  for (const sev of await rows(page).locator('.sev').allTextContents())
    expect(['emerg', 'alert', 'crit', 'err']).toContain(sev);

  // The address holds the filters: a reload (or a shared link) shows the same view.
  await filters.getByLabel('Text', { exact: true }).fill('switchover');
  await expect(page).toHaveURL(/q=switchover/);
  await expect(rows(page).first()).toContainText('REDUNDANCY-3-SWITCHOVER');
  await page.reload();
  await expect(filters.getByLabel('Device')).toHaveValue(CISCO);
  await expect(filters.getByLabel('Severity (at most)')).toHaveValue('err');
  await expect(filters.getByLabel('Text', { exact: true })).toHaveValue('switchover');
  await expect(rows(page).first()).toContainText('REDUNDANCY-3-SWITCHOVER');

  // A time range the API refuses: its message on the field.
  await filters.getByLabel('From', { exact: true }).fill('2026-01-02T10:00:00');
  await filters.getByLabel('To', { exact: true }).fill('2026-01-01T10:00:00');
  await expect(filters.getByRole('alert')).toHaveText('must not be before from');
  await expect(filters.getByLabel('To', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await filters.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/syslog$/);

  // Live: a command typed into the Junos device shows up at the top, without a reload.
  await filters.getByLabel('Device').fill(JUNOS);
  await expect(page).toHaveURL(new RegExp(`deviceId=${junos.id}`));
  await filters.getByLabel('Text', { exact: true }).fill('UI_CMDLINE_READ_LINE');
  await expect(table).toContainText('No message matches these filters.');
  await page.getByRole('button', { name: 'Live', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Live', exact: true })).toHaveAttribute('aria-pressed', 'true');
  // A command mgd records; on a device with nothing to roll back to it changes nothing, and if
  // there was something, the second one takes the pending rollback away again.
  const command = 'request system software rollback';
  const said = await sshExec(junos, command);
  if (said.includes('will become active at next reboot')) await sshExec(junos, command);
  const line = rows(page)
    .filter({ hasText: `command '${command} '` })
    .first();
  await expect(line).toBeVisible({ timeout: 20_000 });
  await expect(line).toContainText('UI_CMDLINE_READ_LINE');
  await expect(line).toContainText(JUNOS);
  await expect(line.locator('.sev')).toHaveText('info');
});
