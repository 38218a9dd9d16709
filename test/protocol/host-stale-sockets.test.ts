// Sockets of provider processes that were SIGKILLed (no chance to clean up) are removed by later providers.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeStaleSockets } from '../../src/host/listen-address.js';
import { within } from './host-helpers.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A child that listens on dir/plugin-outscale-<its pid>-deadbeef and SIGKILLs itself, leaving the socket. */
async function leaveDeadSocket(directory: string): Promise<string> {
  const script = `
    const path = require('node:path').join(${JSON.stringify(directory)}, 'plugin-outscale-' + process.pid + '-deadbeef');
    require('node:net').createServer().listen(path, () => { process.stdout.write(path); process.kill(process.pid, 'SIGKILL'); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let path = '';
  child.stdout.on('data', (chunk) => (path += chunk));
  await within(new Promise((resolve) => child.on('exit', resolve)), 10_000, 'child exit');
  return path;
}

describe('removeStaleSockets', () => {
  it('removes sockets of dead providers only', async () => {
    dir = mkdtempSync(join(tmpdir(), 'stale-'));
    const dead = await leaveDeadSocket(dir);
    expect(existsSync(dead)).toBe(true);

    const live = join(dir, `plugin-outscale-${process.pid}-0123abcd`);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(live, resolve));
    const notASocket = join(dir, 'plugin-outscale-999999-0badf00d');
    writeFileSync(notASocket, '');
    const otherName = join(dir, 'plugin12345');
    writeFileSync(otherName, '');

    try {
      expect(removeStaleSockets(dir)).toEqual([dead]);
      expect(existsSync(dead)).toBe(false);
      expect(existsSync(live)).toBe(true);
      expect(existsSync(notASocket)).toBe(true);
      expect(existsSync(otherName)).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('tolerates a missing directory', () => {
    expect(removeStaleSockets(join(tmpdir(), 'no-such-dir-for-stale-sockets'))).toEqual([]);
  });
});
