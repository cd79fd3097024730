// A device chosen by typing its hostname (the inventory's matches offered as the text is typed):
// the filter changes only to a device that exists, or back to none when the text is cleared. The
// runs list uses the picker; the syslog explorer its hook, in a labelled field of its own.
import type { Device, DevicePage } from '@hitless/contracts';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { api, qs } from '../api.ts';
import { useDebounced } from './hooks.ts';

/**
 * The state of a hostname field that picks a device: the text shown (the current device's hostname
 * until the user types), the inventory's matches for it, and whether it names no device. Only what
 * the user typed changes the choice, once the matches for exactly that text are in; with
 * `clearOnUnknown` a hostname that names no device clears the choice too.
 */
export function useDeviceChoice(
  deviceId: string | null,
  onChange: (id: string | null) => void,
  { clearOnUnknown = false }: { clearOnUnknown?: boolean } = {},
) {
  const [text, setText] = useState<string | null>(null);
  const current = useQuery({
    queryKey: ['devices', 'detail', deviceId],
    queryFn: () => api.get<Device>(`/api/v1/devices/${deviceId}`),
    enabled: Boolean(deviceId) && text === null,
  });
  const shown = text ?? current.data?.hostname ?? '';
  const typed = useDebounced(shown.trim(), 200);
  const matches = useQuery({
    queryKey: ['devices', 'list', { q: typed, pageSize: 20 }],
    queryFn: () => api.get<DevicePage>(`/api/v1/devices${qs({ q: typed, pageSize: 20, sort: 'hostname' })}`),
    enabled: text !== null && typed !== '',
  });
  const exact = matches.data?.items.find((d) => d.hostname.toLowerCase() === typed.toLowerCase());
  useEffect(() => {
    if (text === null) return;
    if (text.trim() === '') {
      if (deviceId) onChange(null);
      return;
    }
    if (typed !== text.trim() || !matches.data || matches.isPlaceholderData) return;
    if (exact) {
      if (exact.id !== deviceId) onChange(exact.id);
    } else if (clearOnUnknown && deviceId) onChange(null);
  }, [text, typed, matches.data, matches.isPlaceholderData, exact, deviceId, onChange, clearOnUnknown]);
  const unknown = Boolean(text !== null && typed !== '' && typed === text.trim() && matches.data && !exact);
  return { shown, setText, typed, matches: matches.data?.items ?? [], unknown, currentError: current.error };
}

export function DevicePicker({
  deviceId,
  onChange,
  label = 'Device',
}: {
  deviceId: string | null;
  onChange: (id: string | null) => void;
  label?: string;
}) {
  const listId = useId();
  const { shown, setText, typed, matches, unknown, currentError } = useDeviceChoice(deviceId, onChange);
  return (
    <span className="device-picker">
      <input
        type="search"
        list={listId}
        placeholder="Device hostname"
        aria-label={label}
        aria-invalid={unknown ? true : undefined}
        autoComplete="off"
        value={shown}
        onChange={(e) => setText(e.target.value)}
      />
      <datalist id={listId}>
        {matches.map((d) => (
          <option key={d.id} value={d.hostname}>
            {d.mgmtAddress}
          </option>
        ))}
      </datalist>
      {unknown && <span className="warn-text small-text"> no device named {typed}</span>}
      {currentError && <span className="warn-text small-text"> that device is not in the inventory</span>}
    </span>
  );
}
