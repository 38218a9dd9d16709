// Public entry of the local OUTSCALE API sandbox (contract: notes/sandbox-api.md).
export { SANDBOX_DEFAULTS, startSandbox } from './server.js';
export type { Sandbox } from './server.js';
export type { SandboxState } from './state.js';
export type {
  FaultCounters,
  HeldCalls,
  RecordedCall,
  SandboxFaults,
  SandboxKey,
  SandboxOptions,
  ImageView,
  StoredImage,
  StoredSnapshot,
  StoredVm,
} from './types.js';
export { SEEDED } from './seed.js';
export { PUBLISHER_ACCOUNT_ALIAS, PUBLISHER_ACCOUNT_ID } from './accounts.js';
