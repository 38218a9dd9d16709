// The sandbox as a separate process (bin/outscale-sandbox), as a user would run it, plus its admin routes.
// Used by the demo and the bench.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const START_TIMEOUT_MS = 60_000;

/** Starts bin/outscale-sandbox with `args`; resolves with { vars, calls(), stop() } once its four lines are out. */
export function startSandboxProcess(root, args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(join(root, 'bin', 'outscale-sandbox'), ['--port', '0', ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sandbox did not start within ${START_TIMEOUT_MS} ms: ${err}`));
    }, START_TIMEOUT_MS);
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start bin/outscale-sandbox: ${error.message}`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited (${code}) before printing its endpoint: ${err}`));
    });
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const lines = out.split('\n').filter((line) => /^OSC_[A-Z_]+=/.test(line));
      if (lines.length < 4 || !out.endsWith('\n')) return;
      clearTimeout(timer);
      const vars = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
      resolvePromise({
        vars,
        async calls() {
          const response = await fetch(new URL('/_sandbox/calls', vars.OSC_ENDPOINT_API));
          if (!response.ok) throw new Error(`GET /_sandbox/calls: ${response.status}`);
          return response.json();
        },
        stop() {
          return new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.removeAllListeners('exit');
            const force = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', () => {
              clearTimeout(force);
              done();
            });
            child.kill('SIGTERM');
          });
        },
      });
    });
  });
}
