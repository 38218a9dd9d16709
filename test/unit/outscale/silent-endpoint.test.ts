// An endpoint that accepts connections and never answers: every call still ends, bounded by the attempt timeout and
// the call budget, and says how many attempts it made over how long. Timers are simulated (the sockets are real), so
// the default bounds are checked without waiting minutes.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OscClient } from '../../../src/outscale/client.js';
import { OscOutcomeUnknownError } from '../../../src/outscale/errors.js';
import { createImageRecovering } from '../../../src/resources/image/create.js';

interface Silent {
  url: string;
  /** Actions of the requests received, in order (one per attempt). */
  actions: string[];
  close(): Promise<void>;
}

async function startSilentServer(): Promise<Silent> {
  const actions: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      if (head.includes('\r\n')) return;
      head += chunk.toString('latin1');
      const line = /^POST \/api\/v1\/(\w+) /.exec(head);
      if (line) actions.push(line[1]!);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    actions,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const realSetTimeout = globalThis.setTimeout;
let silent: Silent | undefined;
let client: OscClient | undefined;
afterEach(async () => {
  vi.useRealTimers();
  client?.close();
  await silent?.close();
});

/** Settles `work`, advancing simulated time by 1 s steps while letting real socket I/O run in between. */
async function runSimulated<T>(work: Promise<T>): Promise<{ outcome: PromiseSettledResult<T>; simulatedMs: number }> {
  const started = Date.now();
  let outcome: PromiseSettledResult<T> | undefined;
  work.then(
    (value) => (outcome = { status: 'fulfilled', value }),
    (reason: unknown) => (outcome = { status: 'rejected', reason }),
  );
  for (let step = 0; outcome === undefined; step++) {
    if (step > 3600) throw new Error('still running after an hour of simulated time');
    await new Promise((r) => realSetTimeout(r, 5)); // real time for socket I/O between simulated seconds
    await vi.advanceTimersByTimeAsync(1000);
  }
  return { outcome, simulatedMs: Date.now() - started };
}

describe('an endpoint that accepts connections and never answers', () => {
  it('with the default timeouts, a CreateImage and its look-up by name end within about two minutes, saying how many attempts over how long', async () => {
    silent = await startSilentServer();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    client = new OscClient({ endpoint: silent.url, region: 'eu-west-2', accessKey: 'AK', secretKey: 'SK0123456789', env: {} });
    const { outcome, simulatedMs } = await runSimulated(
      createImageRecovering(client, { ImageName: 'silent', VmId: 'i-1' }, { deadline: Date.now() + 40 * 60_000 }),
    );
    expect(outcome.status).toBe('rejected');
    const error = (outcome as PromiseRejectedResult).reason as Error;
    expect(error).toBeInstanceOf(OscOutcomeUnknownError);
    const reads = silent.actions.filter((a) => a === 'ReadImages').length;
    expect(silent.actions[0]).toBe('CreateImage');
    expect(silent.actions.filter((a) => a === 'CreateImage')).toHaveLength(1);
    expect(reads).toBeGreaterThanOrEqual(2);
    expect(error.message).toContain('no response within 30000 ms');
    expect(error.message).toMatch(new RegExp(`gave up after ${reads} attempts over \\d+\\.\\d s`));
    expect(simulatedMs).toBeLessThanOrEqual(150_000);
  }, 120_000);
});
