// The Junos port: pre-checks, observation and the command sender for Junos ISSU. The in-service
// upgrade streams its progress into the step and records how the stream ended.
import type { JunosAction, JunosObserved } from '@hitless/core';
import { junos as junosParsers, type JunosDriver } from '@hitless/drivers';
import type { AnyDriver } from './device-access.ts';
import { StepFailed } from './errors.ts';
import { junosSnapshot, observeJunos } from './observe.ts';
import type { PortDeps, VendorPort } from './ports.ts';
import { runJunosPrechecks } from './prechecks.ts';

function junos(a: AnyDriver): JunosDriver {
  if (a.kind !== 'junos') throw new Error('not a Junos session');
  return a.driver;
}

/** Phases after which the device had touched the backup RE: an abort from there is ABORTED, not REFUSED. */
const UNTOUCHED_PHASES: (string | null)[] = [null, 'checked', 'validating'];

export function junosPort(deps: PortDeps): VendorPort<JunosObserved, JunosAction> {
  const { session, rec } = deps;
  const read = <T>(fn: (d: JunosDriver) => Promise<T>) => session.read((a) => fn(junos(a)));

  return {
    async prechecks() {
      const r = await read((d) => runJunosPrechecks(rec.db, d, deps.image));
      return {
        results: r.results,
        decision: r.decision,
        procedure: 'JUNOS_ISSU',
        original: r.fromVersion,
        fromVersion: r.fromVersion,
        originalMaster: r.originalMaster,
      };
    },

    applyOptions: async () => undefined,

    async observe(run) {
      const obs = await read(observeJunos);
      // Seen running: a later turn knows it arrived, even if nobody watched its stream end.
      if (obs.issuInProgress && run.cp.issuStartedAt && !run.cp.issuSeenRunningAt) {
        await rec.checkpoint({ issuSeenRunningAt: new Date().toISOString() });
      }
      return { obs, rollbackSeconds: null };
    },

    snapshot: () => read(junosSnapshot),

    activeVersion: async () => (await read(observeJunos)).master.version,

    async send(action) {
      const d = junos(await session.driver());
      switch (action) {
        case 'in-service-upgrade': {
          let seen: Promise<void> | null = null;
          const res = await d.inServiceUpgrade(`/var/tmp/${deps.image.fileName}`, {
            reboot: false,
            timeoutMs: deps.engine.issuTimeoutMs,
            // Its first progress line (not a refusal): the device took the command. A failure to
            // note it is only logged: the stream's outcome, written next, matters more.
            onLine: (line) => {
              const phase = junosParsers.issuPhaseOf(line);
              if (!phase || phase === 'aborted') return;
              seen ??= rec
                .checkpoint({ issuSeenRunningAt: new Date().toISOString() })
                .catch((err: unknown) =>
                  rec.warn(err, 'the in-service upgrade was seen running, but that was not saved'),
                );
            },
          });
          await seen;
          session.drop();
          if (res.outcome === 'aborted') {
            // The device said no, or gave up on its own; the decision reads the REs' state next.
            const error = res.errors.join(' / ') || `stopped after the ${res.lastPhase ?? 'first'} phase`;
            const touched = !UNTOUCHED_PHASES.includes(res.lastPhase);
            await rec.checkpoint({ issuOutcome: 'aborted', issuError: error, issuBackupTouched: touched });
            throw new StepFailed(
              touched ? `the device aborted the upgrade: ${error}` : `the device refused the upgrade: ${error}`,
            );
          }
          await rec.checkpoint({ issuOutcome: res.outcome });
          return res.outcome === 'switched-over'
            ? 'mastership switched to the upgraded routing engine; the session dropped with it'
            : `the session dropped during the upgrade (last phase: ${res.lastPhase ?? 'none'})`;
        }
        case 'reboot-other':
          await d.rebootOther();
          return 'the other routing engine is rebooting';
        case 'master-switch': {
          const r = await d.masterSwitch();
          session.drop();
          return r.disconnected ? 'mastership switched; the session dropped with it' : 'mastership switched';
        }
        case 'rollback-other':
          return (await d.softwareRollbackOther()).trim() || 'rollback scheduled';
        case 'rollback-self':
          return (await d.softwareRollbackSelf()).trim() || 'pending package dropped';
        default: {
          const unreachable: never = action;
          throw new Error(`unknown Junos action ${String(unreachable)}`);
        }
      }
    },
  };
}
