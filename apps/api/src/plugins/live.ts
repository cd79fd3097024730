// socket.io on the API's own HTTP server. A socket authenticates with the same session cookie
// as the REST API (or `auth.token` = an API token) and joins rooms; events arrive from the
// Redis event stream (see @hitless/messaging) and go to the rooms they name. Authentication
// happens once, at the handshake, so ending credentials must end their sockets: `auth.revoked`.
// A handshake from another origin is refused before anything else (origin.ts's policy): a page on
// another port of this host would otherwise read the live events with the user's cookie.
import { Rooms, SUBSCRIBABLE_ROOM, type ClientToServerEvents, type ServerToClientEvents } from '@hitless/contracts';
import { EventSubscriber } from '@hitless/messaging';
import { fastifyCookie } from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Server, type Socket } from 'socket.io';
import { principalFromApiToken, principalFromSession, SESSION_COOKIE } from '../services/auth.ts';
import type { Principal } from '../types.ts';

declare module 'fastify' {
  interface FastifyInstance {
    io: Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { principal: Principal }>;
  }
}

export default fp(
  async function live(app: FastifyInstance) {
    const io: FastifyInstance['io'] = new Server(app.server, {
      path: '/socket.io',
      serveClient: false,
      // No CORS answers at all; and allowRequest refuses a cross-origin handshake (a WebSocket is
      // not bound by CORS, and the browser sends the cookie along).
      cors: { origin: false },
      allowRequest: (req, callback) => {
        // Only the cookie is ambient authority: a handshake without it (a script that will
        // authenticate with a token) has nothing a page could abuse.
        const hasCookie = Boolean(fastifyCookie.parse(req.headers.cookie ?? '')[SESSION_COOKIE]);
        const refusal = hasCookie ? app.origins.refusal(req.headers) : null;
        if (refusal) app.log.warn({ origin: req.headers.origin ?? null }, `socket handshake refused: ${refusal}`);
        callback(refusal, refusal === null);
      },
    });
    app.decorate('io', io);

    /** The principal of a socket's handshake credentials: an API token, else the session cookie. */
    const principalOf = async (socket: Socket): Promise<Principal | null> => {
      const token: unknown = socket.handshake.auth?.token;
      const cookie = fastifyCookie.parse(socket.handshake.headers.cookie ?? '')[SESSION_COOKIE];
      const principal =
        typeof token === 'string'
          ? await principalFromApiToken(app.deps.db, token)
          : cookie
            ? await principalFromSession(app.deps.db, cookie, app.deps.config.auth.sessionTtlMs)
            : null;
      return principal && !principal.mustChangePassword ? principal : null;
    };

    io.use((socket, next) => {
      principalOf(socket).then(
        (principal) => {
          if (!principal) return next(new Error('unauthenticated'));
          socket.data.principal = principal;
          next();
        },
        (err: unknown) => {
          app.log.error({ err }, 'socket authentication failed');
          next(new Error('unavailable'));
        },
      );
    });

    io.on('connection', (socket) => {
      const { principal } = socket.data;
      // The credentials' own rooms are what `auth.revoked` names; SUBSCRIBABLE_ROOM keeps clients
      // from joining them.
      void socket.join([
        Rooms.inventory,
        Rooms.runs,
        Rooms.campaigns,
        Rooms.user(principal.userId),
        ...(principal.sessionId ? [Rooms.session(principal.sessionId)] : []),
        ...(principal.tokenId ? [Rooms.token(principal.tokenId)] : []),
      ]);
      // Credentials ended between the handshake's lookup and the join above were revoked to
      // rooms this socket was not in yet: look once more, now that it is.
      principalOf(socket).then(
        (still) => {
          if (!still) socket.disconnect(true);
        },
        (err: unknown) => app.log.warn({ err }, 'socket credentials could not be checked again'),
      );
      // Any authenticated user may watch any run or device (viewers read everything).
      socket.on('subscribe', (room, ack) => {
        const reply = typeof ack === 'function' ? ack : () => undefined;
        if (typeof room !== 'string' || !SUBSCRIBABLE_ROOM.test(room))
          return reply({ ok: false, error: 'unknown room' });
        void socket.join(room);
        reply({ ok: true });
      });
      socket.on('unsubscribe', (room) => {
        if (typeof room === 'string' && SUBSCRIBABLE_ROOM.test(room)) void socket.leave(room);
      });
    });

    const subscriber = new EventSubscriber(app.deps.redis.duplicate(), app.deps.config.redis.prefix, app.log);
    subscriber.start((envelope) => {
      if (envelope.type === 'auth.revoked') {
        // Every instance reads the stream, so each ends its own sockets of those credentials.
        // No rooms would address every socket: such an envelope ends none.
        if (envelope.rooms.length > 0) io.in(envelope.rooms).disconnectSockets(true);
        return;
      }
      // The stream carries typed envelopes written by EventPublisher; the name is one of ours.
      io.to(envelope.rooms).emit(envelope.type, envelope.payload as never);
    });

    app.addHook('onClose', async () => {
      await subscriber.stop();
      // io.close() would also close the HTTP server Fastify is closing itself.
      io.disconnectSockets(true);
    });
  },
  { name: 'live', dependencies: ['auth', 'origin'] },
);
