// The tfplugin6.Provider implementation registered with gRPC: every one of the 20 RPCs is answered, whatever the
// provider object implements. Missing methods get a normal response carrying an error (Terraform turns gRPC errors
// into vaguer messages); handler exceptions and rejections are answered the same way instead of hanging the call.

import type * as grpc from '@grpc/grpc-js';
import { log as processLog, type Logger } from '../common/log.js';
import { PROVIDER_METHODS, type ProviderMethod } from '../protocol/tfplugin6.js';

/**
 * One unary RPC handler, as grpc-js calls it. `any` because each method has its own request/response types
 * (see ../protocol/messages.ts) and this is the library boundary where they meet.
 */
export type ProviderHandler = (call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<any>) => unknown;

/** The provider's handlers, keyed by tfplugin6 method name; any subset of the 20. */
export type ProviderHandlers = Readonly<Record<string, ProviderHandler | undefined>>;

/** The handlers, or a loader run on first use (lets the handshake go out before the provider code is loaded). */
export type ProviderSource = ProviderHandlers | (() => ProviderHandlers | Promise<ProviderHandlers>);

const ERROR = 1;

/** A response of `method` that reports `summary`/`detail` the way that method can. */
export function errorResponse(method: string, summary: string, detail = ''): Record<string, unknown> {
  if (method === 'CallFunction') return { error: { text: detail ? `${summary}: ${detail}` : summary } };
  if (method === 'StopProvider') return { Error: detail ? `${summary}: ${detail}` : summary };
  return { diagnostics: [{ severity: ERROR, summary, detail }] };
}

export function unsupportedResponse(method: string): Record<string, unknown> {
  // Nothing to stop in a provider without StopProvider: report success.
  if (method === 'StopProvider') return {};
  return errorResponse(method, `The provider does not support ${method}`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface LoadedProvider {
  /** The handlers, synchronously when already loaded. */
  get(): ProviderHandlers | Promise<ProviderHandlers>;
  current(): ProviderHandlers | undefined;
}

function resolveProvider(source: ProviderSource): LoadedProvider {
  if (typeof source !== 'function') return { get: () => source, current: () => source };
  let loaded: ProviderHandlers | undefined;
  let loading: Promise<ProviderHandlers> | undefined;
  return {
    get() {
      if (loaded) return loaded;
      loading ??= Promise.resolve()
        .then(source)
        .then((handlers) => (loaded = handlers));
      return loading;
    },
    current: () => loaded,
  };
}

function dispatcher(method: ProviderMethod, provider: LoadedProvider, log: Logger) {
  return (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>): void => {
    let answered = false;
    const answer: grpc.sendUnaryData<unknown> = (error, value, trailer, flags) => {
      if (answered) {
        log.warn('provider answered an RPC twice', { method });
        return;
      }
      answered = true;
      callback(error, value, trailer, flags);
    };
    const fail = (summary: string, error: unknown) => {
      log.error(summary, { method, error: describe(error) });
      if (!answered) answer(null, errorResponse(method, summary, `${method}: ${describe(error)}`));
    };
    const run = (handlers: ProviderHandlers) => {
      const handler = handlers[method];
      if (typeof handler !== 'function') {
        log.debug('unsupported RPC', { method });
        answer(null, unsupportedResponse(method));
        return;
      }
      try {
        const result = handler(call, answer);
        if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
          (result as PromiseLike<unknown>).then(undefined, (error: unknown) =>
            fail('Internal error in the provider', error),
          );
        }
      } catch (error) {
        fail('Internal error in the provider', error);
      }
    };
    try {
      const handlers = provider.get();
      if (handlers instanceof Promise) {
        handlers.then(run, (error: unknown) => fail('The provider failed to start', error));
      } else {
        run(handlers);
      }
    } catch (error) {
      fail('The provider failed to start', error);
    }
  };
}

/** gRPC implementation of all 20 tfplugin6.Provider methods on top of `source`. */
export function providerImplementation(source: ProviderSource, log: Logger = processLog): {
  implementation: grpc.UntypedServiceImplementation;
  /** Starts loading a lazy provider now (no-op when already loaded). */
  preload(): Promise<void>;
  /** The handlers if already loaded. */
  loaded(): ProviderHandlers | undefined;
} {
  const provider = resolveProvider(source);
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const method of PROVIDER_METHODS) implementation[method] = dispatcher(method, provider, log);
  return {
    implementation,
    async preload() {
      await provider.get();
    },
    loaded: () => provider.current(),
  };
}
