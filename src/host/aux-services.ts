// The go-plugin side services Terraform's client expects next to tfplugin6.Provider: health, controller (Shutdown),
// stdio and broker. Streams are kept open (Terraform opens StreamStdio and StartStream on connect and ends them
// itself); they are tracked so that closing the server can end them.

import * as grpc from '@grpc/grpc-js';

const SERVING = 1;
const SERVICE_UNKNOWN = 3;
const HEALTHY_SERVICES = new Set(['', 'plugin']);

export class OpenStreams {
  private readonly calls = new Set<{ end(): void }>();

  track(call: grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>): void {
    this.calls.add(call);
    const forget = () => this.calls.delete(call);
    call.on('cancelled', forget);
    call.on('close', forget);
    call.on('error', forget); // a client reset must not become an uncaught 'error' event
  }

  endAll(): void {
    for (const call of this.calls) {
      try {
        call.end();
      } catch {
        // already closed
      }
    }
    this.calls.clear();
  }
}

function requestedService(request: unknown): string {
  const service = (request as { service?: unknown } | null)?.service;
  return typeof service === 'string' ? service : '';
}

export function healthImplementation(streams: OpenStreams): grpc.UntypedServiceImplementation {
  return {
    Check(call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) {
      const service = requestedService(call.request);
      if (HEALTHY_SERVICES.has(service)) callback(null, { status: SERVING });
      else callback({ code: grpc.status.NOT_FOUND, details: `unknown service ${JSON.stringify(service)}` });
    },
    Watch(call: grpc.ServerWritableStream<unknown, unknown>) {
      streams.track(call);
      call.write({ status: HEALTHY_SERVICES.has(requestedService(call.request)) ? SERVING : SERVICE_UNKNOWN });
    },
  };
}

export function controllerImplementation(onShutdown: () => void): grpc.UntypedServiceImplementation {
  return {
    Shutdown(_call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) {
      callback(null, {});
      // Let the reply go out before the server starts closing.
      setImmediate(onShutdown);
    },
  };
}

export function stdioImplementation(streams: OpenStreams): grpc.UntypedServiceImplementation {
  return {
    // Nothing is ever sent: Terraform logs any data here as WARN "unexpected data".
    StreamStdio(call: grpc.ServerWritableStream<unknown, unknown>) {
      streams.track(call);
    },
  };
}

export function brokerImplementation(streams: OpenStreams): grpc.UntypedServiceImplementation {
  return {
    // Providers never use the broker: read and drop, end our side when the client ends its side.
    StartStream(call: grpc.ServerDuplexStream<unknown, unknown>) {
      streams.track(call);
      call.on('data', () => {});
      call.on('end', () => call.end());
    },
  };
}
