// State file: loaded at start when present, rewritten atomically (temp file + rename) after each mutation.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SandboxState, SerializedState } from './state.js';

export function loadStateFile(state: SandboxState, path: string): boolean {
  if (!existsSync(path)) return false;
  state.load(JSON.parse(readFileSync(path, 'utf8')) as SerializedState);
  return true;
}

let counter = 0;

export function saveStateFile(state: SandboxState, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${++counter}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state.serialize(), null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}
