import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SEEDED, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call, errorCode, ok } from './helpers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function started(options: Parameters<typeof startSandbox>[0]): Promise<Sandbox> {
  const s = await startSandbox(options);
  cleanups.push(() => s.close());
  return s;
}

describe('persistence', () => {
  it('saves after each mutation and loads at start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'osc-sandbox-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const statePath = join(dir, 'nested', 'state.json');
    const first = await started({ statePath, imagePendingMs: 0 });
    const { Image } = await ok(first, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'persisted' });
    await ok(first, 'CreateTags', { ResourceIds: [Image.ImageId], Tags: [{ Key: 'k', Value: 'v' }] });
    const onDisk = JSON.parse(readFileSync(statePath, 'utf8'));
    expect(onDisk.images.map((i: { ImageId: string }) => i.ImageId)).toContain(Image.ImageId);
    await first.close();

    const second = await started({ statePath, imagePendingMs: 0 });
    const { Images } = await ok(second, 'ReadImages', { Filters: { ImageIds: [Image.ImageId] } });
    expect(Images[0]).toMatchObject({ ImageName: 'persisted', State: 'available', Tags: [{ Key: 'k', Value: 'v' }] });
    // the name stays taken across restarts
    expect(errorCode(await call(second, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'persisted' }))).toBe('9000');
  });

  it('--no-seed starts empty', async () => {
    const s = await started({ seed: false });
    expect((await ok(s, 'ReadImages', {})).Images).toEqual([]);
    expect((await ok(s, 'ReadVms', {})).Vms).toEqual([]);
  });
});

describe('admin routes', () => {
  const base = (s: Sandbox) => `http://127.0.0.1:${s.port}/_sandbox`;

  it('lists calls, shows state, injects and resets faults, deletes images behind the API', async () => {
    const s = await started({ imagePendingMs: 0 });
    const { Image } = await ok(s, 'CreateImage', { VmId: SEEDED.vmId, ImageName: 'admin-target' });

    const calls = (await (await fetch(`${base(s)}/calls`)).json()) as Array<{ action: string }>;
    expect(calls.map((c) => c.action)).toEqual(['CreateImage']);

    const state = (await (await fetch(`${base(s)}/state`)).json()) as { images: Array<{ ImageId: string }> };
    expect(state.images.map((i) => i.ImageId)).toContain(Image.ImageId);

    const post = (path: string, body: unknown) =>
      fetch(`${base(s)}/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('faults', { kind: 'throttleNext', count: 1, status: 503 })).status).toBe(200);
    expect((await call(s, 'ReadImages', {})).status).toBe(503);
    expect((await post('faults', { kind: 'failNext', count: 3 })).status).toBe(200);
    expect((await post('reset-faults', {})).status).toBe(200);
    expect((await call(s, 'ReadImages', {})).status).toBe(200);
    expect((await post('faults', { kind: 'nonsense' })).status).toBe(400);
    expect((await post('faults', { kind: 'failImages', nameMatches: '^x' })).status).toBe(200);
    expect((await post('faults', { kind: 'down', mode: 'unavailable' })).status).toBe(200);
    expect((await call(s, 'ReadImages', {})).status).toBe(503);
    expect((await post('faults', { kind: 'down', mode: false })).status).toBe(200);

    const del = await fetch(`${base(s)}/images/${Image.ImageId}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect((await ok(s, 'ReadImages', { Filters: { ImageIds: [Image.ImageId] } })).Images).toEqual([]);
    expect((await fetch(`${base(s)}/images/${Image.ImageId}`, { method: 'DELETE' })).status).toBe(404);
  });
});
