// Swagger UI at /docs with a Content-Security-Policy of its own, as strict as the dashboard's:
// no 'unsafe-inline' anywhere. Its one inline style, the <style> inside the top bar's SVG logo
// (swagger-ui-standalone-preset.js renders it with React), is allowed by its SHA-256, computed
// here from the installed files, so an upgrade of swagger-ui that changes it keeps working
// (and e2e/docs.spec.ts fails on any CSP violation that slips through). No third-party origin:
// the online validator badge is off (it would send the API document's address to
// validator.swagger.io), and `upgrade-insecure-requests` only over HTTPS, as in headers.ts.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);

let cached: string[] | undefined;

/** The texts of the `<style>` elements the UI's scripts render, as string literals in the bundles (read once). */
export function inlineStyleHashes(): string[] {
  if (cached) return cached;
  const dir = path.join(path.dirname(require.resolve('@fastify/swagger-ui/package.json')), 'static');
  const hashes = new Set<string>();
  for (const file of ['swagger-ui-standalone-preset.js', 'swagger-ui-bundle.js']) {
    const source = readFileSync(path.join(dir, file), 'utf8');
    for (const m of source.matchAll(/createElement\("style",null,"((?:[^"\\]|\\.)*)"\)/g)) {
      const text = JSON.parse(`"${m[1]}"`) as string;
      hashes.add(`'sha256-${createHash('sha256').update(text).digest('base64')}'`);
    }
  }
  cached = [...hashes];
  return cached;
}

export function docsCsp(https: boolean, styleHashes = inlineStyleHashes()): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'connect-src': ["'self'"],
    'font-src': ["'self'", 'data:'],
    'form-action': ["'self'"],
    'frame-ancestors': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", ...styleHashes],
    ...(https && { 'upgrade-insecure-requests': [''] }),
  };
}

export default async function docsPlugin(app: FastifyInstance) {
  const https = app.deps.config.http.publicOrigin?.startsWith('https:') ?? false;
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: docsCsp(https),
    uiConfig: { validatorUrl: null },
  });
}
