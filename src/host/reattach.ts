// Debug mode: the TF_REATTACH_PROVIDERS value that lets Terraform use an already running provider process.
// "Test": true is required for protocol 6 (without it Terraform assumes protocol 5 and crashes).

import type { Network } from './handshake-line.js';
import { APP_PROTOCOL_VERSION, PROVIDER_ADDRESS } from './plugin-env.js';

export interface ReattachConfig {
  Protocol: 'grpc';
  ProtocolVersion: number;
  Pid: number;
  Test: true;
  Addr: { Network: Network; String: string };
}

export function reattachValue(pid: number, network: Network, address: string): string {
  const config: ReattachConfig = {
    Protocol: 'grpc',
    ProtocolVersion: APP_PROTOCOL_VERSION,
    Pid: pid,
    Test: true,
    Addr: { Network: network, String: address },
  };
  return JSON.stringify({ [PROVIDER_ADDRESS]: config });
}

/** Shell-quoted `TF_REATTACH_PROVIDERS='…'` line plus a short hint, for stdout. */
export function formatReattachMessage(pid: number, network: Network, address: string): string {
  const value = reattachValue(pid, network, address).replace(/'/g, `'\\''`);
  return [
    `TF_REATTACH_PROVIDERS='${value}'`,
    '',
    'Provider running in debug mode (plaintext, no Terraform launch needed). In another shell, export the line above',
    '(prefix it with `export `) and run terraform commands there. Stop with Ctrl-C.',
    '',
  ].join('\n');
}
