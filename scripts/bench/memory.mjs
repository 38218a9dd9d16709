// Peak resident memory (VmHWM) of every running provider process, polled from /proc (Linux only).
import { readFileSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';

const POLL_MS = 25;

function providerPids(marker) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // A provider runs as (or node runs) a file whose name starts with the marker; a mere path through a
      // directory so named (the sandbox in a checkout called terraform-provider-outscale) does not count.
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv.some((arg) => basename(arg).startsWith(marker))) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function peakKiB(pid) {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Starts polling; stop() returns { available, processes, peakMiB } (peakMiB: max VmHWM over all processes seen). */
export function watchProviderMemory(marker = 'terraform-provider-outscale') {
  const available = process.platform === 'linux';
  const peaks = new Map();
  const poll = () => {
    for (const pid of providerPids(marker)) {
      if (pid === process.pid) continue;
      const kib = peakKiB(pid);
      if (kib !== undefined) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, kib));
    }
  };
  const timer = available ? setInterval(poll, POLL_MS) : undefined;
  return {
    stop() {
      if (timer) clearInterval(timer);
      if (available) poll();
      const values = [...peaks.values()];
      return {
        available,
        processes: values.length,
        peakMiB: values.length ? Math.round((Math.max(...values) / 1024) * 10) / 10 : undefined,
      };
    },
  };
}
