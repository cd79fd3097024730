// The API's own documentation (Swagger UI at /docs) renders under its Content-Security-Policy
// without a single violation or console error: its inline <style> is allowed by its hash, not
// by 'unsafe-inline' (apps/api/src/plugins/docs.ts), and the dashboard's policy stays as it is.
import { expect, test } from './fixtures.ts';

test('/docs renders logged in, with no CSP violation and no console error', async ({ page, seed }) => {
  const admin = await seed.user('ADMIN');
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.exposeFunction('reportViolation', (text: string) => problems.push(`CSP: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { reportViolation: (t: string) => void }).reportViolation(
        `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`,
      ),
    );
  });
  const login = await page.request.post('/api/v1/auth/login', {
    data: admin,
    headers: { origin: new URL(seed.baseURL).origin },
  });
  expect(login.status()).toBe(200);

  const res = await page.goto('/docs');
  expect(res?.status()).toBe(200);
  // The UI's bundle is large: drawn within 30 s on a busy machine.
  await expect(page.getByRole('heading', { name: /Hitless API/ })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('heading', { name: 'audit' })).toBeVisible();
  // The top bar is drawn: its SVG logo (which carries the inline style) renders first, then the
  // plugin's initializer swaps in its own logo image.
  await expect(page.locator('.topbar a.link').first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(problems).toEqual([]);
  // Allowed by the style's hash, not by opening the policy up.
  const csp = res?.headers()['content-security-policy'] ?? '';
  expect(csp).toMatch(/style-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('https:');

  // The dashboard keeps its own policy.
  const dashboard = await page.request.get('/inventory');
  expect(dashboard.headers()['content-security-policy']).toContain("script-src 'self'");
});
