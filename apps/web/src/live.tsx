// The live layer in the browser: one socket.io connection per logged-in tab. Events only
// invalidate cached queries (the REST API stays the source of what is shown); a reconnect
// refetches everything, so nothing missed while offline stays stale.
import type { ClientToServerEvents, DeviceUpdatedEvent, ServerToClientEvents } from '@hitless/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';

export type LiveStatus = 'connecting' | 'live' | 'offline';

interface LiveState {
  status: LiveStatus;
  /** Device ids changed by someone else in the last few seconds, for a brief highlight. */
  recentlyChanged: ReadonlySet<string>;
}

const LiveContext = createContext<LiveState>({ status: 'offline', recentlyChanged: new Set() });

export function LiveProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>(enabled ? 'connecting' : 'offline');
  const [recentlyChanged, setRecentlyChanged] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    if (!enabled) return;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ path: '/socket.io', transports: ['websocket'] });
    const timers = new Set<ReturnType<typeof setTimeout>>();
    socket.on('connect', () => {
      setStatus('live');
      // Anything may have changed while we were away.
      void queryClient.invalidateQueries();
    });
    socket.on('disconnect', () => setStatus('connecting'));
    socket.on('connect_error', () => setStatus('offline'));
    socket.on('device.updated', (event: DeviceUpdatedEvent) => {
      void queryClient.invalidateQueries({ queryKey: ['devices'] });
      if (event.action === 'deleted' || event.action === 'bulk') return;
      setRecentlyChanged((prev) => new Set(prev).add(event.id));
      const t = setTimeout(() => {
        timers.delete(t);
        setRecentlyChanged((prev) => {
          const next = new Set(prev);
          next.delete(event.id);
          return next;
        });
      }, 4000);
      timers.add(t);
    });
    return () => {
      timers.forEach(clearTimeout);
      socket.disconnect();
      setStatus('offline');
    };
  }, [enabled, queryClient]);

  return <LiveContext.Provider value={{ status, recentlyChanged }}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveState {
  return useContext(LiveContext);
}
