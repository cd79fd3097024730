// The live layer in the browser: one socket.io connection per logged-in tab. Events
// invalidate cached queries or patch them (the REST API stays the source of what is shown); a
// reconnect refetches everything and rejoins the rooms pages asked for, so nothing missed while
// offline stays stale.
import type { ClientToServerEvents, DeviceUpdatedEvent, ServerToClientEvents } from '@hitless/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useEffectEvent, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';
import { refreshQueries } from './refresh.ts';

export type LiveStatus = 'connecting' | 'live' | 'offline';
type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface LiveState {
  status: LiveStatus;
  /** Device ids changed by someone else in the last few seconds, for a brief highlight. */
  recentlyChanged: ReadonlySet<string>;
  socket: LiveSocket | null;
}

const LiveContext = createContext<LiveState>({ status: 'offline', recentlyChanged: new Set(), socket: null });

export function LiveProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>(enabled ? 'connecting' : 'offline');
  const [recentlyChanged, setRecentlyChanged] = useState<ReadonlySet<string>>(new Set());
  const [socket, setSocket] = useState<LiveSocket | null>(null);

  useEffect(() => {
    if (!enabled) return;
    const socket: LiveSocket = io({ path: '/socket.io', transports: ['websocket'] });
    const timers = new Set<ReturnType<typeof setTimeout>>();
    socket.on('connect', () => {
      setStatus('live');
      // Pages join their rooms once there is a connection (and again after each reconnect).
      setSocket(socket);
      // Anything may have changed while we were away.
      void queryClient.invalidateQueries();
    });
    socket.on('disconnect', () => setStatus('connecting'));
    socket.on('connect_error', () => setStatus('offline'));
    socket.on('run.updated', () => void queryClient.invalidateQueries({ queryKey: ['runs'] }));
    // Every socket is in the 'campaigns' room: lists and queues follow any campaign's change.
    socket.on('campaign.updated', () => void queryClient.invalidateQueries({ queryKey: ['campaigns'] }));
    socket.on('device.updated', (event: DeviceUpdatedEvent) => {
      // Device changes are rare: a fetch in flight may predate this one, so it starts again.
      void refreshQueries(queryClient, ['devices']);
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
      setSocket(null);
      setStatus('offline');
    };
  }, [enabled, queryClient]);

  return <LiveContext.Provider value={{ status, recentlyChanged, socket }}>{children}</LiveContext.Provider>;
}

type Handlers = { [E in keyof ServerToClientEvents]?: ServerToClientEvents[E] };

/**
 * Joins a room (`run:<id>`) while the component is mounted, again after every reconnect, and
 * calls `onJoin` each time it is in (the moment to refetch what the room's events patch).
 */
export function useRoom(room: string, handlers: Handlers, onJoin: () => void): void {
  const { socket } = useContext(LiveContext);
  const dispatch = useEffectEvent((name: keyof ServerToClientEvents, args: unknown[]) =>
    (handlers[name] as ((...a: unknown[]) => void) | undefined)?.(...args),
  );
  const joined = useEffectEvent(() => onJoin());
  const names = Object.keys(handlers).sort().join(',');
  useEffect(() => {
    if (!socket) return;
    const join = () =>
      socket.emit('subscribe', room, (r) => {
        if (r.ok) joined();
      });
    const bound = (names.split(',') as (keyof ServerToClientEvents)[]).map((name) => {
      const fn = (...args: unknown[]) => dispatch(name, args);
      socket.on(name, fn as never);
      return [name, fn] as const;
    });
    if (socket.connected) join();
    socket.on('connect', join);
    return () => {
      socket.off('connect', join);
      for (const [name, fn] of bound) socket.off(name, fn as never);
      if (socket.connected) socket.emit('unsubscribe', room);
    };
  }, [socket, room, names]);
}

export function useLive(): LiveState {
  return useContext(LiveContext);
}
