// What `npm start` does once before its services start: re-keys the audit rows from before keyed
// hashes (in the start that applies the roles migration only), seeds the first admin, and
// registers the demo lab's devices in the inventory (again after a lab restart).
import type { LauncherConfig } from '@hitless/config';
import {
  AuditRekeyRefused,
  createPrisma,
  ensureInitialAdmin,
  INITIAL_ADMIN,
  rekeyAfterMigrations,
  type AuditCheckpointFile,
} from '@hitless/db';
import { generatePassword } from '@hitless/crypto';
import { labEnableHint, labSshCommand, registerLabFleet, type LabDevice } from '@hitless/lab';
import { LAB_ENABLE_SECRET, LAB_PASSWORD, LAB_USERNAME } from '@hitless/sim';

type Say = (line: string) => void;

/**
 * Audit rows from before keyed hashes are re-signed once, as the owner (the only role the trigger
 * lets update them), in the start that applies the roles migration — never again, or a chain a
 * superuser rewrote with plain hashes would be re-signed into a valid one. A refusal does not stop
 * the start: the trail is evidence, not a dependency, and verify reports what is wrong with it.
 */
export async function rekeyAudit(
  say: Say,
  ownerUrl: string,
  auditKey: Buffer,
  applied: string[],
  checkpoints: AuditCheckpointFile,
) {
  const db = createPrisma(ownerUrl, { max: 1, auditKey });
  try {
    const result = await rekeyAfterMigrations(db, applied, { checkpointFile: checkpoints });
    if (result && result.rekeyed > 0)
      say(`audit trail: re-signed ${result.rekeyed} event(s) written before keyed hashes`);
    if (result?.warning) say(`audit trail: ${result.warning}`);
  } catch (err) {
    if (!(err instanceof AuditRekeyRefused)) throw err;
    say(`audit trail: NOT re-keyed: ${err.message}`);
    say('audit trail: starting anyway; GET /api/v1/audit/verify (or the dashboard) reports the problem');
  } finally {
    await db.$disconnect();
  }
}

export async function seedAdmin(say: Say, config: LauncherConfig, databaseUrl: string, auditKey: Buffer) {
  const db = createPrisma(databaseUrl, { max: 2, auditKey });
  try {
    const password = config.adminPassword ?? generatePassword();
    if (await ensureInitialAdmin(db, password, { oneTime: !config.adminPassword })) {
      if (config.adminPassword) {
        say(`created user "${INITIAL_ADMIN}" with the password from HITLESS_ADMIN_PASSWORD`);
      } else {
        // Printed once, here, and stored nowhere but as a hash: it must be changed at first login.
        say('');
        say(`  first login:  ${INITIAL_ADMIN}  /  ${password}`);
        say('  this one-time password is shown only now; you will choose your own at first login');
        say('');
      }
    }
  } finally {
    await db.$disconnect();
  }
}

/** The lab's devices in the inventory, with their images and matrix; again after a lab restart. */
export async function registerDemoLab(
  say: Say,
  config: LauncherConfig,
  database: { databaseUrl: string; auditKey: Buffer },
  key: Buffer,
  ready: { devices: LabDevice[]; apiUrl: string; knownHostsFile?: string | null },
  token: string,
  restarted: boolean,
) {
  const lab = config.lab;
  const db = createPrisma(database.databaseUrl, { max: 2, auditKey: database.auditKey });
  try {
    const result = await registerLabFleet(db, key, ready.devices);
    for (const s of result.skipped) say(`lab: not registered: ${s}`);
    if (restarted) return say(`lab: its ${ready.devices.length} devices started afresh on their original releases`);
    const first = ready.devices[0]!;
    const last = ready.devices.at(-1)!;
    const sshPort = lab.sshPort === 22 ? '' : ` port ${lab.sshPort}`;
    say(
      `lab: ${ready.devices.length} simulated devices on ${first.address}–${last.address}${sshPort}, time scale ${lab.timeScale} (${result.created} added to the inventory)`,
    );
    const login = { ...first, username: LAB_USERNAME, password: LAB_PASSWORD };
    // Pasted as printed, OpenSSH checks the host key against the lab's known_hosts file (sshpass cannot answer its question).
    say(
      `lab: ${labSshCommand(login, ready.knownHostsFile ?? null)} "show version"   (sshpass types the password; Debian/Ubuntu: sudo apt-get install sshpass)`,
    );
    const hint = labEnableHint(LAB_ENABLE_SECRET);
    if (hint) say(`lab: ${hint}`);
    say(`lab: fault API ${ready.apiUrl} with Authorization: Bearer ${token}`);
  } finally {
    await db.$disconnect();
  }
}
