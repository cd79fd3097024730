// One error handler for the whole API. Clients get `ErrorBody`: a stable code, a message that
// names the field for bad input, and never an internal detail. Anything unexpected is a 500
// with a generic message, logged in full on the server.
import type { ErrorBody, Issue } from '@hitless/contracts';
import { DomainError, httpStatusFor } from '@hitless/core';
import { Prisma } from '@hitless/db';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';

function send(reply: FastifyReply, body: ErrorBody) {
  return reply.status(body.statusCode).type('application/json').send(body);
}

function validationBody(issues: Issue[]): ErrorBody {
  return {
    statusCode: 400,
    code: 'VALIDATION_FAILED',
    message: issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '),
    issues,
  };
}

/** Prisma's "unique constraint failed" names the columns in different places depending on the adapter. */
export function uniqueViolationFields(err: unknown): string[] | null {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError) || err.code !== 'P2002') return null;
  const meta = err.meta as
    { target?: unknown; driverAdapterError?: { cause?: { constraint?: { fields?: unknown } } } } | undefined;
  const fields = meta?.target ?? meta?.driverAdapterError?.cause?.constraint?.fields;
  return Array.isArray(fields) ? fields.map(String) : [];
}

/**
 * Fastify's `frameworkErrors`: the router refuses some paths before any hook runs (bad
 * percent-encoding, a parameter past maxParamLength); they still get the one error shape.
 */
export function routerRefusal(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const statusCode = error.statusCode ?? 400;
  void send(reply.header('cache-control', 'no-store'), {
    statusCode,
    code: 'VALIDATION_FAILED',
    message:
      error.code === 'FST_ERR_BAD_URL'
        ? 'the path is not valid percent-encoding'
        : `the path was refused: ${error.message}`,
  });
}

export default fp(
  async function errors(app: FastifyInstance) {
    app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      if (hasZodFastifySchemaValidationErrors(error)) {
        const where = error.validationContext ?? 'request';
        return send(
          reply,
          validationBody(
            error.validation.map((v) => ({
              path: [where, ...v.instancePath.split('/').filter(Boolean)].join('.'),
              message: v.message ?? 'is invalid',
            })),
          ),
        );
      }
      if (error instanceof DomainError) {
        return send(reply, {
          statusCode: httpStatusFor(error.code),
          code: error.code,
          message: error.message,
          ...(error.issues && { issues: error.issues }),
        });
      }
      if (isResponseSerializationError(error)) {
        request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
        return send(reply, { statusCode: 500, code: 'INTERNAL', message: 'internal error' });
      }
      const clash = uniqueViolationFields(error);
      if (clash) {
        // Services check the usual clashes themselves with a precise message; this is the
        // database's word on a race between two writers, still naming the columns.
        const what = clash.length > 0 ? ` (${clash.join(', ')})` : '';
        return send(reply, {
          statusCode: 409,
          code: 'CONFLICT',
          message: `a record with the same unique values${what} already exists`,
        });
      }
      const status = error.statusCode ?? 500;
      // Fastify's own client errors: malformed JSON, body too large, wrong content type, rate limit.
      if (status >= 400 && status < 500) {
        const code =
          status === 413
            ? 'PAYLOAD_TOO_LARGE'
            : status === 415
              ? 'UNSUPPORTED_MEDIA_TYPE'
              : status === 429
                ? 'RATE_LIMITED'
                : status === 401
                  ? 'UNAUTHENTICATED'
                  : status === 404
                    ? 'NOT_FOUND'
                    : 'VALIDATION_FAILED';
        return send(reply, { statusCode: status, code, message: error.message });
      }
      request.log.error({ err: error }, 'unhandled error');
      return send(reply, { statusCode: 500, code: 'INTERNAL', message: 'internal error' });
    });

    app.setNotFoundHandler((request, reply) =>
      send(reply, {
        statusCode: 404,
        code: 'NOT_FOUND',
        message: `no route ${request.method} ${request.url.split('?')[0]}`,
      }),
    );
  },
  { name: 'errors' },
);
