// A small typed client of the lab API, for tests, the launcher and benchmarks.
import type { FaultName } from '@hitless/sim';
import type { LabDeviceInfo } from './lab.ts';

export class LabClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl.replace(/\/$/, '')}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`lab API ${method} ${path}: ${res.status} ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  devices() {
    return this.call<{ timeScale: number; items: LabDeviceInfo[] }>('GET', '/api/devices');
  }

  device(id: string) {
    return this.call<Record<string, unknown>>('GET', `/api/devices/${encodeURIComponent(id)}`);
  }

  setFaults(id: string, faults: FaultName[]) {
    return this.call<{ faults: FaultName[] }>('PUT', `/api/devices/${encodeURIComponent(id)}/faults`, { faults });
  }

  reset(id: string) {
    return this.call<Record<string, unknown>>('POST', `/api/devices/${encodeURIComponent(id)}/reset`);
  }

  commands(id: string) {
    return this.call<{ counts: Record<string, number>; log: { at: string; line: string; cancelled?: true }[] }>(
      'GET',
      `/api/devices/${encodeURIComponent(id)}/commands`,
    );
  }

  forwarding(id: string) {
    return this.call<{ lossWindowMs: number; lastSwitchover: { at: string; lossMs: number; reason: string } | null }>(
      'GET',
      `/api/devices/${encodeURIComponent(id)}/forwarding`,
    );
  }

  setForwarding(id: string, lossWindowMs: number) {
    return this.call<{ lossWindowMs: number }>('PUT', `/api/devices/${encodeURIComponent(id)}/forwarding`, {
      lossWindowMs,
    });
  }

  images() {
    return this.call<{
      items: {
        family: string;
        vendor: string;
        version: string;
        fileName: string;
        sizeBytes: number;
        md5: string;
        sha256: string;
        releaseDate: string;
      }[];
    }>('GET', '/api/images');
  }
}
