// Starting an upgrade of one device: the images registered for its platform family (with what
// the compatibility matrix says about each from the running release), how the new software is
// accepted, and the procedure's options (only the chosen procedure's are sent). The worker runs
// the pre-checks; a refusal shows there. An image the matrix calls incompatible cannot be started
// unless a disruptive Fast Software Upgrade is allowed (Cisco), and the dialog says why.
import type {
  CompatibilityEntry,
  Device,
  RunCreate,
  RunDetail,
  RunOptionsView,
  SoftwareImage,
} from '@hitless/contracts';

/** What the dialog sends: only the chosen procedure's options. */
type StartBody = Omit<RunCreate, 'options'> & { options: RunOptionsView };
import { platformFamily } from '@hitless/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api, ApiError, friendlyError, qs } from '../api.ts';
import { Banner, Dialog, Field } from '../components/ui.tsx';
import './UpgradeDialog.css';

type Level = CompatibilityEntry['level'];

/** What the matrix says of an image, in words, in the image list (before anything is picked). */
function levelWords(level: Level | undefined, junos: boolean, known: boolean): string {
  if (!known) return 'compatibility read by the pre-checks';
  switch (level) {
    case 'C':
      return 'compatible (ISSU)';
    case 'B':
      return 'base-level: ISSU, some state lost';
    case 'I':
      return junos ? 'incompatible: no ISSU' : 'incompatible: FSU only';
    default:
      return 'not in the matrix';
  }
}

/** What the matrix says once an image is picked: "X is compatible from Y." and what that means. */
const LEVEL_SENTENCE: Record<Level, [string, string]> = {
  C: ['compatible', ''],
  B: ['base-level compatible', ' The upgrade stays in service, but some subsystems do not keep their state.'],
  I: ['incompatible', ' An in-service upgrade is impossible between them.'],
};

export function UpgradeDialog({
  device,
  onClose,
  onStarted,
}: {
  device: Device;
  onClose: () => void;
  onStarted: (run: RunDetail) => void;
}) {
  const family = platformFamily(device.vendor, device.platform);
  const junos = device.vendor === 'JUNOS';
  const images = useQuery({
    queryKey: ['images', device.vendor, family],
    queryFn: async () =>
      (
        await api.get<{ items: SoftwareImage[] }>(
          `/api/v1/images${qs({ vendor: device.vendor, platformFamily: family })}`,
        )
      ).items,
  });
  const matrix = useQuery({
    queryKey: ['compatibility', device.vendor, family, device.currentVersion],
    enabled: Boolean(device.currentVersion),
    queryFn: async () =>
      (
        await api.get<{ items: CompatibilityEntry[] }>(
          `/api/v1/compatibility${qs({ vendor: device.vendor, platformFamily: family, fromVersion: device.currentVersion })}`,
        )
      ).items,
  });
  const candidates = (images.data ?? []).filter((i) => i.version !== device.currentVersion);
  const [imageId, setImageId] = useState('');
  const [acceptMode, setAcceptMode] = useState<'AUTO' | 'MANUAL'>('MANUAL');
  const [allowDisruptive, setAllowDisruptive] = useState(false);
  const [timer, setTimer] = useState('');
  const [rebootOldMaster, setRebootOldMaster] = useState(true);
  const [restoreMastership, setRestoreMastership] = useState(true);
  const chosen = candidates.find((i) => i.id === imageId);
  const levelOf = (version: string) => matrix.data?.find((e) => e.toVersion === version)?.level;
  const level = chosen && levelOf(chosen.version);
  // The matrix is known when the device's release is (the pre-checks read it off the device otherwise).
  const known = Boolean(device.currentVersion) && matrix.isSuccess;
  const blocked =
    level === 'I' && (junos || !allowDisruptive)
      ? junos
        ? `${chosen!.version} is incompatible with ${device.currentVersion}: Junos has no disruptive alternative here; pick another image.`
        : `${chosen!.version} is incompatible with ${device.currentVersion}: only a disruptive Fast Software Upgrade is possible; tick “Allow a disruptive Fast Software Upgrade” to start one.`
      : null;

  const start = useMutation({
    mutationFn: (body: StartBody) => api.post<RunDetail>('/api/v1/runs', body),
    onSuccess: onStarted,
  });
  const [timerError, setTimerError] = useState<string>();
  const blockedId = useId();
  const errors = start.error instanceof ApiError ? start.error.fieldErrors() : {};

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const seconds = timer.trim() ? Number(timer) : undefined;
    setTimerError(undefined);
    if (seconds !== undefined && !Number.isInteger(seconds)) {
      setTimerError('must be a whole number of seconds');
      return;
    }
    // Each procedure's own options only (the API drops the others anyway).
    const options: RunOptionsView = junos
      ? { rebootOldMaster, restoreMastership }
      : { ...(seconds !== undefined && { rollbackTimerSeconds: seconds }) };
    start.mutate({ deviceId: device.id, imageId, acceptMode, allowDisruptive: !junos && allowDisruptive, options });
  };

  return (
    <Dialog title={`Upgrade ${device.hostname}`} onClose={onClose}>
      <form className="form-grid" onSubmit={submit} noValidate>
        <p className="muted">
          {device.platform} running <span className="mono">{device.currentVersion ?? 'an unknown release'}</span>.
          Pre-checks run on the device first; nothing changes if one fails.
        </p>
        <Field
          label="Target image"
          error={errors.imageId}
          hint={
            images.data && candidates.length === 0
              ? `No other image is registered for ${family}; add one under images first.`
              : undefined
          }
        >
          <select value={imageId} onChange={(e) => setImageId(e.target.value)} required>
            <option value="">{images.isPending ? 'Loading images…' : 'Choose an image…'}</option>
            {candidates.map((i) => (
              <option key={i.id} value={i.id} data-level={levelOf(i.version) ?? ''}>
                {i.version} — {levelWords(levelOf(i.version), junos, known)} — {i.fileName}
              </option>
            ))}
          </select>
        </Field>
        {chosen && known && !level && (
          <Banner kind="info">
            The compatibility matrix has no entry from {device.currentVersion} to {chosen.version}: the pre-checks
            refuse the upgrade until one is added under images.
          </Banner>
        )}
        {level && (
          <Banner kind={level === 'I' ? 'error' : 'info'}>
            Compatibility matrix: {chosen!.version} is {LEVEL_SENTENCE[level][0]} from {device.currentVersion}.
            {LEVEL_SENTENCE[level][1]}
            {level === 'I' && !junos && ' Only a disruptive Fast Software Upgrade is possible, if you allow it below.'}
          </Banner>
        )}
        <fieldset className="choice">
          <legend className="field-label">Accepting the new software</legend>
          <label>
            <input
              type="radio"
              name="accept"
              checked={acceptMode === 'MANUAL'}
              onChange={() => setAcceptMode('MANUAL')}
            />{' '}
            Wait for an operator to accept after post-checks
          </label>
          <label>
            <input type="radio" name="accept" checked={acceptMode === 'AUTO'} onChange={() => setAcceptMode('AUTO')} />{' '}
            Accept automatically when post-checks pass
          </label>
        </fieldset>
        {junos ? (
          <fieldset className="choice">
            <legend className="field-label">After the switchover</legend>
            <label>
              <input type="checkbox" checked={rebootOldMaster} onChange={(e) => setRebootOldMaster(e.target.checked)} />{' '}
              Reboot the old master onto the new release
            </label>
            <label>
              <input
                type="checkbox"
                checked={restoreMastership}
                onChange={(e) => setRestoreMastership(e.target.checked)}
              />{' '}
              Give mastership back to the original master RE
            </label>
          </fieldset>
        ) : (
          <>
            <Field
              label="Rollback timer (seconds)"
              error={timerError ?? errors.options}
              hint="Set on the device before loadversion; 60–7200. Empty keeps the device's own (45 min by default)."
            >
              <input
                inputMode="numeric"
                className="narrow-input"
                value={timer}
                onChange={(e) => setTimer(e.target.value)}
                placeholder="2700"
              />
            </Field>
            <label className="check">
              <input type="checkbox" checked={allowDisruptive} onChange={(e) => setAllowDisruptive(e.target.checked)} />{' '}
              Allow a disruptive Fast Software Upgrade when the images are incompatible
            </label>
          </>
        )}
        {start.error && <Banner kind="error">{friendlyError(start.error, 'the upgrade could not be started')}</Banner>}
        <div className="actions upgrade-actions">
          {blocked && (
            <span id={blockedId} className="upgrade-blocked">
              {blocked}
            </span>
          )}
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            disabled={!imageId || blocked !== null || start.isPending}
            aria-describedby={blocked ? blockedId : undefined}
          >
            {start.isPending ? 'Starting…' : 'Start upgrade'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
