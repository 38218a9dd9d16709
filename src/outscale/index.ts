// Public entry of the OUTSCALE API client.
export {
  OscClient,
  USER_AGENT,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_CALL_BUDGET_MS,
  type OscClientOptions,
  type CallOptions,
  type ClientCounters,
} from './client.js';
export {
  resolveClientConfig,
  normaliseEndpoint,
  defaultEndpoint,
  readFileOrUndefined,
  DEFAULT_REGION,
  DEFAULT_PROFILE,
  type ProviderConfigInput,
  type ResolvedConfig,
  type ConfigProblem,
  type ConfigSource,
  type ReadFile,
} from './config.js';
export {
  OscApiError,
  OscNetworkError,
  OscAbortError,
  OscOutcomeUnknownError,
  isAbortError,
  isThrottlingError,
  isImageNotFoundError,
  isNotFoundError,
  type NetworkFailureKind,
} from './errors.js';
export {
  DEFAULT_RETRY_SETTINGS,
  retrySettingsFromEnv,
  backoffDelay,
  classifyFailure,
  isSafeToRepeat,
  type RetrySettings,
  type RetryCounters,
  type FailureClass,
} from './retry.js';
export { signRequest, signingTimestamp, type SignatureVariant, type SignInput, type SignResult } from './signer.js';
export type * from './types.js';
