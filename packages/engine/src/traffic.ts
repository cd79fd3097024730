// The traffic a switchover cost. Real devices do not print it; the lab of simulated chassis
// measures it, so when the worker is told where the lab's API is (HITLESS_LAB_API_URL / _TOKEN),
// the step that switched over asks the lab for the device's last switchover and keeps its loss
// as evidence. Asking is best effort: bounded by a short timeout, and a failure is a warning in
// the log, never a failure of the run. Plain fetch: the engine does not depend on apps/lab.
import type { Device } from '@hitless/db';
import type { Logger } from 'pino';

/** Where the lab's API is and its bearer token (EngineConfig.labApi). */
export interface LabApi {
  url: string;
  token: string;
}

/** What a switchover step records when the lab measured its loss. */
export interface TrafficEvidence {
  trafficLossMs: number;
  trafficLossSource: 'lab';
}

/** The lab is asked within this long (all attempts together); the run does not wait longer. */
export const LAB_ASK_TIMEOUT_MS = 2000;

interface LastSwitchover {
  at: string;
  lossMs: number;
  reason: string;
}

function lastSwitchoverOf(body: unknown): LastSwitchover | null | undefined {
  if (typeof body !== 'object' || body === null || !('lastSwitchover' in body)) return undefined;
  const s = body.lastSwitchover;
  if (s === null) return null;
  if (typeof s !== 'object') return undefined;
  const { at, lossMs, reason } = s as Record<string, unknown>;
  if (typeof at !== 'string' || typeof lossMs !== 'number' || !Number.isFinite(lossMs) || lossMs < 0) return undefined;
  return { at, lossMs, reason: typeof reason === 'string' ? reason : '' };
}

/**
 * The lab's `GET /api/devices/:id/forwarding` for one name of the device (the lab knows a device
 * by its id, which is its hostname, or by its address). `not-in-lab`: the lab has no such device.
 */
async function ask(lab: LabApi, id: string, signal: AbortSignal): Promise<LastSwitchover | null | 'not-in-lab'> {
  const url = `${lab.url.replace(/\/$/, '')}/api/devices/${encodeURIComponent(id)}/forwarding`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${lab.token}` }, signal });
  if (res.status === 404) {
    await res.body?.cancel();
    return 'not-in-lab';
  }
  if (!res.ok) {
    const text = (await res.text()).slice(0, 200);
    throw new Error(`the lab API answered ${res.status} to GET ${url}: ${text}`);
  }
  const last = lastSwitchoverOf(await res.json());
  if (last === undefined) throw new Error(`the lab API's answer to GET ${url} has no usable lastSwitchover`);
  return last;
}

/**
 * The traffic the device lost in the switchover of a step that started at `stepStartedAt`, as
 * the lab measured it; undefined when no lab is configured, the device is not one of the lab's,
 * its last switchover is older than the step (not this one), or the lab could not be asked.
 */
export async function switchoverTraffic(
  lab: LabApi | null | undefined,
  device: Pick<Device, 'hostname' | 'mgmtAddress'>,
  stepStartedAt: Date,
  log: Logger,
  timeoutMs = LAB_ASK_TIMEOUT_MS,
): Promise<TrafficEvidence | undefined> {
  if (!lab) return undefined;
  const where = { device: device.hostname, lab: lab.url };
  try {
    const signal = AbortSignal.timeout(timeoutMs);
    // The inventory's hostname is the lab's id for devices the lab registered; a device renamed
    // in the inventory is still found by the address the engine reached it at.
    let last = await ask(lab, device.hostname, signal);
    if (last === 'not-in-lab' && device.mgmtAddress !== device.hostname)
      last = await ask(lab, device.mgmtAddress, signal);
    if (last === 'not-in-lab') {
      log.info(where, 'traffic loss at switchover not known: the lab has no such device');
      return undefined;
    }
    const at = last ? Date.parse(last.at) : NaN;
    if (!last || Number.isNaN(at) || at <= stepStartedAt.getTime()) {
      log.warn(
        { ...where, lastSwitchoverAt: last?.at ?? null, stepStartedAt: stepStartedAt.toISOString() },
        'traffic loss at switchover not known: the lab shows no switchover since the step started',
      );
      return undefined;
    }
    return { trafficLossMs: Math.round(last.lossMs), trafficLossSource: 'lab' };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    log.warn(
      { ...where, err },
      timedOut
        ? `traffic loss at switchover not known: the lab API did not answer within ${timeoutMs} ms`
        : 'traffic loss at switchover not known: the lab API could not be asked',
    );
    return undefined;
  }
}
