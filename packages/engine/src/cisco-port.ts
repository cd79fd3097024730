// The Cisco port: pre-checks, observation and the command sender for Cisco ISSU and FSU. Slots
// and file systems come from the device's last observation and the platform family.
import { ciscoFilesystems, type CiscoAction, type CiscoObserved } from '@hitless/core';
import type { CiscoDriver } from '@hitless/drivers';
import type { AnyDriver } from './device-access.ts';
import { ciscoSnapshot, observeCisco } from './observe.ts';
import type { PortDeps, VendorPort } from './ports.ts';
import { runCiscoPrechecks } from './prechecks.ts';
import type { LoadedRun } from './recorder.ts';

function cisco(a: AnyDriver): CiscoDriver {
  if (a.kind !== 'cisco') throw new Error('not a Cisco session');
  return a.driver;
}

const imagesOf = (run: LoadedRun) => ({ original: run.ctx.original!, target: run.ctx.target! });

export function ciscoPort(deps: PortDeps): VendorPort<CiscoObserved, CiscoAction> {
  const { session, rec } = deps;
  const fs = ciscoFilesystems(deps.family);
  /** The last observation: commands take the RP slots from it. */
  let last: CiscoObserved | null = null;
  const read = <T>(fn: (d: CiscoDriver) => Promise<T>) => session.read((a) => fn(cisco(a)));

  return {
    async prechecks(run) {
      const r = await read((d) => runCiscoPrechecks(rec.db, d, deps.family, deps.image, run.row.allowDisruptive));
      return {
        results: r.results,
        decision: r.decision,
        procedure: r.decision === 'FSU' ? 'CISCO_FSU' : 'CISCO_ISSU',
        original: r.originalImage,
        fromVersion: r.fromVersion,
      };
    },

    async applyOptions(run, step) {
      const seconds = run.options.rollbackTimerSeconds;
      if (!seconds) return;
      await read((d) => d.setRollbackTimer(seconds));
      step.note(`rollback timer set to ${seconds} s`);
    },

    async observe(run) {
      const obs = await read((d) => observeCisco(d, imagesOf(run)));
      last = obs;
      return { obs, rollbackSeconds: obs.rollback.inProgress ? obs.rollback.remainingSeconds : null };
    },

    snapshot: () => read(ciscoSnapshot),

    activeVersion: async (run) => (await read((d) => observeCisco(d, imagesOf(run)))).active.image,

    async send(action, run, step) {
      const { original: O, target: T } = imagesOf(run);
      const a = await session.driver();
      const d = cisco(a);
      const obs = last ?? (await observeCisco(d, imagesOf(run)));
      switch (action) {
        case 'loadversion':
          return (
            await d.loadVersion(obs.active.slot, `${fs.active}${T}`, obs.standby.slot, `${fs.standby}${T}`)
          ).trim();
        case 'runversion': {
          // Until the device is read again after the switchover, its configured window is the best
          // deadline there is (a reconnect keeps trying at least that long).
          const total = obs.rollback.configuredSeconds;
          if (total) await rec.update({ rollbackDeadline: new Date(Date.now() + total * 1000) });
          const r = await d.runVersion(obs.standby.slot, `${fs.standby}${T}`);
          session.drop();
          return r.disconnected
            ? 'switched over; the session dropped with the old active RP'
            : r.output.trim() || 'runversion sent';
        }
        case 'acceptversion':
          return (await d.acceptVersion(obs.active.slot, `${fs.active}${T}`)).trim();
        case 'commitversion':
          return (await d.commitVersion(obs.standby.slot, `${fs.standby}${T}`)).trim();
        case 'abortversion': {
          const r = await d.abortVersion();
          if (r.disconnected) session.drop();
          return r.disconnected ? 'switched back; the session dropped' : r.output.trim() || 'abortversion sent';
        }
        case 'set-boot':
          await d.setBootImage(`${fs.active}${T}`);
          return `boot system flash ${fs.active}${T}`;
        case 'restore-boot':
          await d.setBootImage(`${fs.active}${O}`);
          return `boot system flash ${fs.active}${O}`;
        case 'reload-peer':
          await d.reloadPeer();
          return 'the standby is reloading';
        case 'force-switchover': {
          const r = await d.forceSwitchover();
          session.drop();
          step.note('disruptive switchover: traffic is lost until the new active forwards');
          return r.disconnected ? 'switched over; the session dropped' : 'switchover sent';
        }
        default: {
          const unreachable: never = action;
          throw new Error(`unknown Cisco action ${String(unreachable)}`);
        }
      }
    },
  };
}
