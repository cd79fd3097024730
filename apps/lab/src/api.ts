// The lab's HTTP API: every route but /healthz needs `Authorization: Bearer <lab token>`.
import { timingSafeEqual } from 'node:crypto';
import { FAULT_NAMES, FAULTS, LAB_IMAGES, unsupportedFaults, type FaultName } from '@hitless/sim';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Lab } from './lab.ts';
import { SYSLOG_FORMATS } from './syslog.ts';

const Fault = z.enum(FAULT_NAMES as [FaultName, ...FaultName[]], {
  error: `unknown fault; known: ${FAULT_NAMES.join(', ')}`,
});
const Params = z.object({ id: z.string().min(1) });

export const FaultsBody = z.object({ faults: z.array(Fault).max(FAULT_NAMES.length) });
export const ForwardingBody = z.object({ lossWindowMs: z.number().int().min(0).max(600_000) });
export const SyslogBody = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  format: z.enum(SYSLOG_FORMATS).default('auto'),
});

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function buildLabApi(lab: Lab, token: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((error, _request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const message = error.validation
        .map((v) => `${error.validationContext}${v.instancePath.replaceAll('/', '.')}: ${v.message}`)
        .join('; ');
      return reply.status(400).send({ statusCode: 400, code: 'VALIDATION_FAILED', message });
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    return reply.status(status).send({
      statusCode: status,
      code: status === 404 ? 'NOT_FOUND' : status < 500 ? 'VALIDATION_FAILED' : 'INTERNAL',
      message: status < 500 ? (error as Error).message : 'internal error',
    });
  });

  app.addHook('onRequest', async (request, reply) => {
    if (request.url === '/healthz') return;
    const m = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!m || !tokenMatches(m[1]!, token)) {
      return reply
        .status(401)
        .send({ statusCode: 401, code: 'UNAUTHENTICATED', message: 'send Authorization: Bearer <lab API token>' });
    }
  });

  const device = (id: string) => {
    const d =
      lab.devices.get(id) ?? [...lab.devices.values()].find((x) => x.spec.hostname === id || x.spec.address === id);
    if (!d) throw Object.assign(new Error(`no device ${id} in this lab`), { statusCode: 404 });
    return d;
  };

  app.get('/healthz', async () => ({ status: 'ok', devices: lab.devices.size }));

  app.get('/api/devices', async () => ({ timeScale: lab.timeScale, items: lab.info() }));

  app.get('/api/devices/:id', { schema: { params: Params } }, async (request) => ({
    ...device(request.params.id).status(),
    port: lab.endpoints.get(device(request.params.id).spec.id)?.port,
  }));

  app.put('/api/devices/:id/faults', { schema: { params: Params, body: FaultsBody } }, async (request) => {
    const d = device(request.params.id);
    const faults = [...new Set(request.body.faults)];
    const unsupported = unsupportedFaults(d.vendor, faults);
    if (unsupported.length > 0)
      throw Object.assign(new Error(`${d.spec.hostname}: ${unsupported.join('; ')}`), { statusCode: 400 });
    d.setFaults(faults);
    return { id: d.spec.id, faults: d.faults };
  });

  app.post('/api/devices/:id/reset', { schema: { params: Params } }, async (request) => {
    const d = device(request.params.id);
    d.reset();
    return d.status();
  });

  app.get('/api/devices/:id/commands', { schema: { params: Params } }, async (request) => {
    const d = device(request.params.id);
    return {
      counts: Object.fromEntries(d.commandCounts),
      log: d.commandLog.map((r) => ({
        at: new Date(r.at).toISOString(),
        line: r.line,
        ...(r.cancelled && { cancelled: true }),
      })),
    };
  });

  app.delete('/api/devices/:id/commands', { schema: { params: Params } }, async (request, reply) => {
    const d = device(request.params.id);
    d.commandCounts.clear();
    d.commandLog.length = 0;
    return reply.status(204).send();
  });

  app.get('/api/devices/:id/forwarding', { schema: { params: Params } }, async (request) => {
    const c = device(request.params.id).chassis;
    return {
      lossWindowMs: c.lossWindowMs,
      lastSwitchover: c.lastSwitchover && { ...c.lastSwitchover, at: new Date(c.lastSwitchover.at).toISOString() },
    };
  });

  app.put('/api/devices/:id/forwarding', { schema: { params: Params, body: ForwardingBody } }, async (request) => {
    const c = device(request.params.id).chassis;
    c.lossWindowMs = request.body.lossWindowMs;
    return { lossWindowMs: c.lossWindowMs };
  });

  app.get('/api/faults', async () => ({
    items: Object.entries(FAULTS).map(([name, description]) => ({ name, description })),
  }));

  app.get('/api/images', async () => ({ items: LAB_IMAGES }));

  app.get('/api/syslog', async () => ({ target: lab.syslog.target }));

  app.put('/api/syslog', { schema: { body: SyslogBody } }, async (request) => {
    lab.syslog.target = request.body;
    return { target: lab.syslog.target };
  });

  await app.ready();
  return app;
}
