// Swagger UI's policy (plugins/docs.ts): no 'unsafe-inline', no third-party origin, and the
// inline <style> its standalone preset renders (the top bar's SVG logo) allowed by its SHA-256,
// as computed from the very script /docs serves. e2e/docs.spec.ts loads it in Chromium.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

describe('/docs Content-Security-Policy', () => {
  it("allows the UI's one inline style by its hash, and nothing inline besides", async () => {
    const viewer = await h.as('VIEWER');
    const page = await viewer.get('/docs/');
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/https:|validator\.swagger\.io/);
    expect(csp).toMatch(/script-src 'self';/);
    expect(csp).not.toContain('upgrade-insecure-requests'); // the harness serves plain HTTP
    // No inline script or style in the page itself: only files of its own origin.
    expect(page.body).not.toMatch(/<script>|<script(?![^>]*\bsrc=)[^>]*>|<style/);

    const preset = await viewer.get('/docs/static/swagger-ui-standalone-preset.js');
    expect(preset.statusCode).toBe(200);
    const styles = [...preset.body.matchAll(/createElement\("style",null,"((?:[^"\\]|\\.)*)"\)/g)].map(
      (m) => JSON.parse(`"${m[1]}"`) as string,
    );
    expect(styles.length).toBeGreaterThan(0);
    const styleSrc = /style-src ([^;]*)/.exec(csp)?.[1] ?? '';
    for (const text of styles) {
      expect(styleSrc).toContain(`'sha256-${createHash('sha256').update(text).digest('base64')}'`);
    }
    // Its assets carry the same policy; the dashboard keeps its own.
    expect(preset.headers['content-security-policy']).toBe(csp);
    expect(String((await viewer.get('/inventory')).headers['content-security-policy'])).not.toBe(csp);
  });
});
