// Registers lab devices, the lab's images and its compatibility matrix in the inventory: the
// demo fleet of `npm start`, and the fixtures of tests that upgrade lab devices. Idempotent:
// existing rows are kept, lab devices are brought up to date with where the lab put them
// (address, port, running version, whether it offers only legacy SSH). A chassis-wide host key
// is not registered: the engine pins it on first use, as for any device. A device whose routing
// engines each have their own key gets all of them pinned here (source `import`, audited): the
// first connection would only ever see the master's, and the ISSU's mastership switch would then
// meet a key that is not pinned.
import { sealSecret } from '@hitless/crypto';
import { recordAudit, type Db } from '@hitless/db';
import {
  compatibility,
  imagesOf,
  LAB_IMAGES,
  LAB_ENABLE_SECRET,
  LAB_PASSWORD,
  LAB_USERNAME,
  type PlatformFamily,
} from '@hitless/sim';

export interface LabDevice {
  hostname: string;
  vendor: 'CISCO_IOS' | 'CISCO_IOSXE' | 'JUNOS';
  platform: string;
  family: string;
  address: string;
  port: number;
  /** `legacy`: the lab device offers only the legacy SSH algorithms; the inventory marks it as needing them. */
  sshProfile?: 'modern' | 'legacy';
  /** The keys it may present; those of a routing engine (`engine` set) are pinned. */
  hostKeys?: { engine: string | null; algorithm: string; key: string; fingerprint: string }[];
}

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/** Pins the per-engine keys of a lab device that are not pinned yet; audited per key. */
async function pinEngineKeys(tx: Tx, deviceId: string, d: LabDevice): Promise<void> {
  const keys = (d.hostKeys ?? []).filter((k) => k.engine !== null);
  if (keys.length === 0) return;
  const pinned = new Set(
    (await tx.deviceHostKey.findMany({ where: { deviceId }, select: { key: true } })).map((k) => k.key),
  );
  for (const k of keys.filter((k) => !pinned.has(k.key))) {
    await tx.deviceHostKey.create({
      data: { deviceId, algorithm: k.algorithm, key: k.key, fingerprint: k.fingerprint, source: 'import' },
    });
    await recordAudit(tx, SYSTEM, {
      action: 'device.host_key.pinned',
      targetType: 'device',
      targetId: deviceId,
      details: {
        hostname: d.hostname,
        source: 'import',
        algorithm: k.algorithm,
        fingerprint: k.fingerprint,
        engine: k.engine,
      },
    });
  }
}

export const LAB_CREDENTIAL = 'lab';
const SYSTEM = { id: null, name: 'system', ip: null };

export async function registerLabFleet(
  db: Db,
  key: Buffer,
  devices: LabDevice[],
): Promise<{ created: number; updated: number; skipped: string[] }> {
  return db.$transaction(
    async (tx) => {
      let credential = await tx.credential.findUnique({ where: { name: LAB_CREDENTIAL } });
      credential ??= await tx.credential.create({
        data: {
          name: LAB_CREDENTIAL,
          username: LAB_USERNAME,
          secretEnc: sealSecret(key, LAB_PASSWORD),
          enableSecretEnc: sealSecret(key, LAB_ENABLE_SECRET),
          description: 'Login of the simulated chassis of the built-in lab',
        },
      });

      for (const img of LAB_IMAGES) {
        await tx.softwareImage.upsert({
          where: {
            vendor_platformFamily_version: { vendor: img.vendor, platformFamily: img.family, version: img.version },
          },
          update: {},
          create: {
            vendor: img.vendor,
            platformFamily: img.family,
            version: img.version,
            fileName: img.fileName,
            sizeBytes: BigInt(img.sizeBytes),
            md5: img.md5,
            sha256: img.sha256,
            releaseDate: new Date(`${img.releaseDate}T00:00:00Z`),
            notes: 'lab catalogue',
          },
        });
      }
      for (const family of new Set(LAB_IMAGES.map((i) => i.family))) {
        const versions = imagesOf(family);
        for (const [i, from] of versions.entries()) {
          for (const to of versions.slice(i + 1)) {
            await tx.compatibilityEntry.upsert({
              where: {
                vendor_platformFamily_fromVersion_toVersion: {
                  vendor: from.vendor,
                  platformFamily: family,
                  fromVersion: from.version,
                  toVersion: to.version,
                },
              },
              update: {},
              create: {
                vendor: from.vendor,
                platformFamily: family,
                fromVersion: from.version,
                toVersion: to.version,
                level: compatibility(family, from.version, to.version),
                source: 'lab catalogue',
              },
            });
          }
        }
      }

      let created = 0;
      let updated = 0;
      const skipped: string[] = [];
      const perFamily = new Map<string, number>();
      for (const d of devices) {
        const n = (perFamily.get(d.family) ?? 0) + 1;
        perFamily.set(d.family, n);
        const version = imagesOf(d.family as PlatformFamily)[0]?.version ?? null;
        const holder = await tx.device.findFirst({
          where: { mgmtAddress: d.address, port: d.port, NOT: { hostname: d.hostname } },
        });
        if (holder) {
          skipped.push(`${d.hostname}: ${d.address}:${d.port} already belongs to ${holder.hostname}`);
          continue;
        }
        const existing = await tx.device.findUnique({ where: { hostname: d.hostname } });
        if (existing) {
          await tx.device.update({
            where: { id: existing.id },
            data: {
              mgmtAddress: d.address,
              port: d.port,
              currentVersion: version,
              legacySsh: d.sshProfile === 'legacy',
            },
          });
          await pinEngineKeys(tx, existing.id, d);
          updated++;
        } else {
          const row = await tx.device.create({
            data: {
              hostname: d.hostname,
              mgmtAddress: d.address,
              port: d.port,
              vendor: d.vendor,
              platform: d.platform,
              site: 'LAB',
              tags: ['lab', d.family],
              // Devices back each other up in pairs: never upgrade both of a pair together.
              redundancyGroup: `lab-${d.family}-${Math.ceil(n / 2)}`,
              credentialId: credential.id,
              currentVersion: version,
              legacySsh: d.sshProfile === 'legacy',
              notes: 'Simulated chassis of the built-in lab',
            },
          });
          await pinEngineKeys(tx, row.id, d);
          created++;
        }
      }
      if (created > 0) {
        await recordAudit(tx, SYSTEM, {
          action: 'lab.registered',
          targetType: 'device',
          details: { created, updated, skipped: skipped.length },
        });
      }
      return { created, updated, skipped };
    },
    { timeout: 60_000 },
  );
}
