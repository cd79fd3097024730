// Longer than 300 lines: the seeded world and its callers are one fixture; split, the rows a
// caller may touch and the secrets it must never see would be defined apart from each other.
// The small world the fuzz runs in: a credential with known secrets, devices, images, matrix
// entries, runs, a discovery and campaigns in every state (campaigns.ts); the callers (a session
// and an API token of every role, a user who must change a one-time password, and callers whose
// credentials no longer count); victim users and tokens the fuzz may change or revoke; and every
// secret any of them involves.
// Rows are made through the API (as the seeding admin), the way a user would make them.
// Longer than 300 lines: the seeding reads top to bottom as one story, each step using the last.
import type { Role } from '@hitless/contracts';
import { platformFamily } from '@hitless/core';
import { adminDatabaseUrl } from '@hitless/testkit';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Harness } from '../harness.ts';
import type { Vocabulary } from './arbitraries.ts';
import { CampaignSeeds } from './campaigns.ts';
import { ed25519PublicKey, fresh, next } from './fresh.ts';
import { Secrets, urlPassword } from './secrets.ts';

export const ROLES: Role[] = ['VIEWER', 'OPERATOR', 'APPROVER', 'ADMIN'];

export interface Principal {
  label: string;
  /** The role the API should see; null for a caller that must always be refused (401). */
  role: Role | null;
  /** A session whose user must change a one-time password first. */
  pending: boolean;
  userId: string | null;
  username: string | null;
  password: string | null;
  cookie: string | null;
  token: string | null;
  /** Extra headers of callers with broken credentials. */
  raw: Record<string, string>;
}

/** Row kinds the fuzz can make a fresh one of, for DELETE routes (so deletes never run out). */
export type Fresh = (world: World) => Promise<string>;

export class World {
  readonly secrets = new Secrets();
  readonly principals: Principal[] = [];
  /** Users and tokens the fuzz must not touch through a route (the callers themselves). */
  readonly protectedUsers = new Set<string>();
  readonly protectedTokens = new Set<string>();
  seederToken = '';
  seederId = '';
  /** A second seeding identity: campaigns the seeding admin wrote need another user's approval. */
  approverToken = '';
  /** The seeded device credential, for devices made later (campaign seeds). */
  credentialId = '';
  readonly campaigns = new CampaignSeeds(this);
  vocabulary: Vocabulary = { platforms: [], versions: [], hostnames: [], addresses: [], knownHostsLines: [] };

  constructor(readonly h: Harness) {}

  headersOf(p: Principal): Record<string, string> {
    return {
      ...(p.cookie && { cookie: p.cookie, origin: this.h.origin }),
      ...(p.token && { authorization: `Bearer ${p.token}` }),
      ...p.raw,
    };
  }

  /** A request as the seeding admin (or `token`'s owner); anything but the expected status stops the test. */
  async seed(options: InjectOptions, expected = 201, token = this.seederToken): Promise<Record<string, unknown>> {
    const res = await this.h.app.inject({
      ...options,
      headers: { authorization: `Bearer ${token}`, ...options.headers },
    });
    if (res.statusCode !== expected)
      throw new Error(`seeding ${options.method} ${options.url}: ${res.statusCode} ${res.body.slice(0, 500)}`);
    return res.body ? (res.json() as Record<string, unknown>) : {};
  }

  private async user(role: Role, label: string, mustChangePassword = false) {
    const u = await this.h.createUser(role, {
      username: `fz-${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${next()}`,
      password: `fzP-${next()}-${Math.random().toString(16).slice(2)}`,
      mustChangePassword,
    });
    this.secrets.add(u.password, `password of ${u.username}`);
    return u;
  }

  /** Logs in from the dashboard (its Origin: login is CSRF-checked too); the session's cookie. */
  async login(username: string, password: string): Promise<string> {
    const res = await this.h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: this.h.origin },
      payload: { username, password },
    });
    const cookie = res.cookies.find((c) => c.name === 'hitless_session');
    if (res.statusCode !== 200 || !cookie) throw new Error(`login of ${username}: ${res.statusCode} ${res.body}`);
    this.secrets.add(cookie.value, `session of ${username}`);
    return `hitless_session=${cookie.value}`;
  }

  private async token(
    headers: Record<string, string>,
    owner: string,
    name: string,
  ): Promise<{ id: string; token: string }> {
    const res = await this.h.app.inject({ method: 'POST', url: '/api/v1/tokens', headers, payload: { name } });
    if (res.statusCode !== 201) throw new Error(`token for ${owner}: ${res.statusCode} ${res.body}`);
    const { id, token } = res.json() as { id: string; token: string };
    this.secrets.add(token, `API token ${name} of ${owner}`);
    return { id, token };
  }

  private principal(p: Partial<Principal> & Pick<Principal, 'label'>): Principal {
    const full: Principal = {
      role: null,
      pending: false,
      userId: null,
      username: null,
      password: null,
      cookie: null,
      token: null,
      raw: {},
      ...p,
    };
    this.principals.push(full);
    if (full.userId) this.protectedUsers.add(full.userId);
    return full;
  }

  async build(): Promise<void> {
    const { h } = this;
    this.collectConfigSecrets();
    const seeder = await this.user('ADMIN', 'seeder');
    this.protectedUsers.add(seeder.id);
    const seederCookie = await this.login(seeder.username, seeder.password);
    const seederToken = await this.token({ cookie: seederCookie, origin: h.origin }, seeder.username, 'seeder');
    this.seederToken = seederToken.token;
    this.seederId = seeder.id;
    this.protectedTokens.add(seederToken.id);
    const approver = await this.user('APPROVER', 'seed-approver');
    this.protectedUsers.add(approver.id);
    const approverCookie = await this.login(approver.username, approver.password);
    const approverToken = await this.token({ cookie: approverCookie, origin: h.origin }, approver.username, 'seed');
    this.approverToken = approverToken.token;
    this.protectedTokens.add(approverToken.id);

    // Callers: a session and a token of every role, and a one-time-password admin session.
    for (const role of ROLES) {
      const c = await this.user(role, `cookie-${role}`);
      const cookie = await this.login(c.username, c.password);
      this.principal({
        label: `cookie:${role}`,
        role,
        userId: c.id,
        username: c.username,
        password: c.password,
        cookie,
      });
      // Something of the caller's own that the token routes may revoke.
      await this.token({ cookie, origin: h.origin }, c.username, 'victim');

      const b = await this.user(role, `bearer-${role}`);
      const bCookie = await this.login(b.username, b.password);
      const t = await this.token({ cookie: bCookie, origin: h.origin }, b.username, 'fuzz');
      this.protectedTokens.add(t.id);
      await this.token({ cookie: bCookie, origin: h.origin }, b.username, 'victim');
      this.principal({
        label: `bearer:${role}`,
        role,
        userId: b.id,
        username: b.username,
        password: b.password,
        token: t.token,
      });
    }
    const pending = await this.user('ADMIN', 'pending', true);
    this.principal({
      label: 'cookie:ADMIN(one-time password)',
      role: 'ADMIN',
      pending: true,
      userId: pending.id,
      username: pending.username,
      password: pending.password,
      cookie: await this.login(pending.username, pending.password),
    });

    // Callers that must be refused whatever they ask.
    this.principal({ label: 'anonymous' });
    const gone = await this.user('ADMIN', 'credentials-gone');
    const goneCookie = await this.login(gone.username, gone.password);
    const revoked = await this.token({ cookie: goneCookie, origin: h.origin }, gone.username, 'revoked');
    const expired = await this.token({ cookie: goneCookie, origin: h.origin }, gone.username, 'expired');
    this.protectedTokens.add(revoked.id).add(expired.id);
    // Only its owner may revoke a token: with the owner's session.
    const rev = await h.app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${revoked.id}`,
      headers: { cookie: goneCookie, origin: h.origin },
    });
    if (rev.statusCode !== 200) throw new Error(`revoking: ${rev.statusCode} ${rev.body}`);
    // Tokens cannot be made already expired through the API.
    await h.database.db.apiToken.update({
      where: { id: expired.id },
      data: { expiresAt: new Date(Date.now() - 60_000) },
    });
    const loggedOut = await this.login(gone.username, gone.password);
    const out = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: loggedOut, origin: h.origin },
    });
    if (out.statusCode !== 204) throw new Error(`logout: ${out.statusCode} ${out.body}`);
    this.principal({ label: 'bearer:revoked-token', token: revoked.token });
    this.principal({ label: 'bearer:expired-token', token: expired.token });
    this.principal({ label: 'cookie:logged-out', cookie: loggedOut });
    const disabled = await this.user('ADMIN', 'disabled');
    const dCookie = await this.login(disabled.username, disabled.password);
    const dToken = await this.token({ cookie: dCookie, origin: h.origin }, disabled.username, 'disabled');
    this.protectedTokens.add(dToken.id);
    this.protectedUsers.add(disabled.id).add(gone.id);
    await this.seed({ method: 'PATCH', url: `/api/v1/users/${disabled.id}`, payload: { disabled: true } }, 200);
    this.principal({ label: 'bearer:disabled-user', token: dToken.token });
    this.principal({ label: 'bearer:garbage', raw: { authorization: `Bearer hlt_${next()}0000000000000000` } });
    this.principal({ label: 'authorization:basic', raw: { authorization: 'Basic YWRtaW46YWRtaW4=' } });

    await this.inventory();
    await this.campaigns.pool();
    for (let i = 0; i < 3; i++) await fresh.users!(this);
    await this.refreshSecretsFromDb();
  }

  private async inventory(): Promise<void> {
    const secret = `fzS-${next()}-device-secret`;
    const enableSecret = `fzS-${next()}-enable-secret`;
    this.secrets.add(secret, 'the seeded credential secret');
    this.secrets.add(enableSecret, 'the seeded enable secret');
    const cred = (await this.seed({
      method: 'POST',
      url: '/api/v1/credentials',
      payload: { name: 'fz-lab', username: 'lab', secret, enableSecret },
    })) as { id: string };
    this.credentialId = cred.id;
    const fleet = [
      { vendor: 'CISCO_IOS', platform: 'c10k', from: '12.2(33)SB8', to: '12.2(33)SB9' },
      { vendor: 'CISCO_IOSXE', platform: 'ASR1006', from: '16.9.4', to: '16.12.5' },
      { vendor: 'JUNOS', platform: 'mx960', from: '18.4R3', to: '19.4R1' },
    ] as const;
    const devices: string[] = [];
    for (const [i, d] of fleet.entries()) {
      const family = platformFamily(d.vendor, d.platform);
      const hostname = `fz-pe${i + 1}.lab`;
      const mgmtAddress = `127.76.0.${i + 1}`;
      const dev = (await this.seed({
        method: 'POST',
        url: '/api/v1/devices',
        payload: {
          hostname,
          mgmtAddress,
          vendor: d.vendor,
          platform: d.platform,
          site: 'LAB1',
          tags: ['lab', 'fuzz'],
          credentialId: cred.id,
          currentVersion: d.from,
        },
      })) as { id: string };
      devices.push(dev.id);
      for (const version of [d.from, d.to]) {
        await this.seed({
          method: 'POST',
          url: '/api/v1/images',
          payload: {
            vendor: d.vendor,
            platformFamily: family,
            version,
            fileName: `${family}-${version.replace(/[^A-Za-z0-9.]/g, '_')}.bin`,
            sizeBytes: 123_456_789,
            sha256: 'ab'.repeat(32),
          },
        });
      }
      await this.seed({
        method: 'POST',
        url: '/api/v1/compatibility',
        payload: { vendor: d.vendor, platformFamily: family, fromVersion: d.from, toVersion: d.to, level: 'C' },
      });
      this.vocabulary.platforms.push(d.platform, family);
      this.vocabulary.versions.push(d.from, d.to);
      this.vocabulary.hostnames.push(hostname);
      this.vocabulary.addresses.push(mgmtAddress);
      this.vocabulary.knownHostsLines.push(`${hostname},${mgmtAddress} ${ed25519PublicKey()}`);
    }
    await this.seed({
      method: 'POST',
      url: '/api/v1/devices',
      payload: { hostname: 'fz-nocred.lab', mgmtAddress: '127.76.0.99', vendor: 'CISCO_IOS', platform: 'c10k' },
    });
    const db = this.h.database.db;
    for (const [i, deviceId] of devices.slice(0, 2).entries()) {
      const device = await db.device.findUniqueOrThrow({ where: { id: deviceId } });
      const image = await db.softwareImage.findFirstOrThrow({
        where: { vendor: device.vendor, version: fleet[i]!.to },
      });
      await this.seed({
        method: 'POST',
        url: '/api/v1/runs',
        payload: { deviceId, imageId: image.id, acceptMode: i === 0 ? 'MANUAL' : 'AUTO' },
      });
    }
    await this.seed({ method: 'POST', url: `/api/v1/devices/${devices[2]}/discover?wait=0` }, 202);
  }

  /** Every key and database password the configuration holds, in each spelling a leak could take. */
  private collectConfigSecrets(): void {
    const walk = (value: unknown, path: string) => {
      if (Buffer.isBuffer(value)) {
        for (const encoding of ['base64', 'base64url', 'hex'] as const)
          this.secrets.add(value.toString(encoding), `${path} (${encoding})`);
      } else if (typeof value === 'string') {
        this.secrets.add(urlPassword(value), `password in ${path}`);
      } else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
      }
    };
    walk(this.h.config, 'config');
    this.secrets.add(urlPassword(this.h.database.url), 'password in the test database URL');
    this.secrets.add(urlPassword(adminDatabaseUrl()), 'PostgreSQL superuser password');
  }

  /** Stored secrets: password hashes, sealed device secrets, session and token digests. */
  async refreshSecretsFromDb(): Promise<void> {
    const db = this.h.database.db;
    const [users, creds, sessions, tokens] = await Promise.all([
      db.user.findMany({ select: { username: true, passwordHash: true } }),
      db.credential.findMany({ select: { name: true, secretEnc: true, enableSecretEnc: true } }),
      db.session.findMany({ select: { tokenHash: true } }),
      db.apiToken.findMany({ select: { tokenHash: true } }),
    ]);
    for (const u of users) {
      this.secrets.add(u.passwordHash, `password hash of ${u.username}`);
      this.secrets.add(u.passwordHash.split('$').at(-1), `password hash of ${u.username} (digest)`);
    }
    for (const c of creds) {
      this.secrets.add(c.secretEnc, `sealed secret of credential ${c.name}`);
      this.secrets.add(c.enableSecretEnc, `sealed enable secret of credential ${c.name}`);
    }
    for (const s of sessions) this.secrets.add(s.tokenHash, 'a session digest');
    for (const t of tokens) this.secrets.add(t.tokenHash, 'an API token digest');
  }

  /** Ids of the rows a route's `:id` may name now, minus the callers' own accounts and tokens. */
  async pool(resource: string | null): Promise<string[]> {
    const db = this.h.database.db;
    const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
    switch (resource) {
      case 'devices':
        return ids(await db.device.findMany({ select: { id: true }, orderBy: { createdAt: 'asc' } }));
      case 'credentials':
        return ids(await db.credential.findMany({ select: { id: true }, orderBy: { createdAt: 'asc' } }));
      case 'images':
        return ids(await db.softwareImage.findMany({ select: { id: true }, orderBy: { createdAt: 'asc' } }));
      case 'compatibility':
        return ids(await db.compatibilityEntry.findMany({ select: { id: true }, orderBy: { createdAt: 'asc' } }));
      case 'runs':
        return ids(await db.deviceRun.findMany({ select: { id: true }, orderBy: { createdAt: 'asc' } }));
      case 'discoveries':
        return ids(await db.discovery.findMany({ select: { id: true }, orderBy: { createdAt: 'asc' } }));
      case 'campaigns':
        // One campaign in each state first (seeded again when the fuzz moved one on).
        return this.campaigns.pool();
      case 'plan-hashes':
        return this.campaigns.planHashes();
      case 'users':
        return ids(await db.user.findMany({ select: { id: true }, orderBy: { createdAt: 'asc' } })).filter(
          (id) => !this.protectedUsers.has(id),
        );
      case 'tokens':
        return ids(await db.apiToken.findMany({ select: { id: true }, orderBy: { createdAt: 'asc' } })).filter(
          (id) => !this.protectedTokens.has(id),
        );
      default: {
        const all = await Promise.all(
          ['devices', 'credentials', 'images', 'compatibility', 'runs', 'discoveries', 'users', 'tokens'].map((r) =>
            this.pool(r),
          ),
        );
        return all.flat();
      }
    }
  }

  async request(options: InjectOptions): Promise<LightMyRequestResponse> {
    return this.h.app.inject(options);
  }
}
