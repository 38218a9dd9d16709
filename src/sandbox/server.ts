// The sandbox HTTP(S) server, on 127.0.0.1 unless told otherwise: API calls under /api/v1/, admin routes under /_sandbox/.
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { log } from '../common/log.js';
import { PUBLISHER_ACCOUNT_ID } from './accounts.js';
import { handleAdmin } from './admin.js';
import { apiNotFound, handleApiCall } from './api-handler.js';
import { FaultController } from './faults.js';
import { sendJson } from './http-io.js';
import { loadStateFile, saveStateFile } from './persistence.js';
import { seedState } from './seed.js';
import { SandboxState } from './state.js';
import type { RecordedCall, SandboxFaults, SandboxKey, SandboxOptions } from './types.js';

export const SANDBOX_DEFAULTS = {
  accessKey: 'OSCSANDBOXACCESSKEY1',
  secretKey: 'oscSandboxSecretKey000000000000000000000',
  region: 'eu-west-2',
  accountId: '123456789012',
};

export interface Sandbox {
  url: string;
  port: number;
  region: string;
  accessKey: string;
  secretKey: string;
  accountId: string;
  faults: SandboxFaults;
  calls: RecordedCall[];
  state: SandboxState;
  close(): Promise<void>;
}

const API_PATH = /^\/api\/v1\/([A-Za-z0-9]+)$/;
const DEFAULT_HOST = '127.0.0.1';

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function stopListening(server: Server, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    for (const s of sockets) s.destroy();
  });
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const region = options.region ?? SANDBOX_DEFAULTS.region;
  const now = options.now ?? Date.now;
  const keys: Array<Required<SandboxKey>> = (options.keys?.length ? options.keys : [SANDBOX_DEFAULTS]).map((k) => ({
    accessKey: k.accessKey,
    secretKey: k.secretKey,
    accountId: k.accountId ?? SANDBOX_DEFAULTS.accountId,
  }));
  if (keys.some((k) => k.accountId === PUBLISHER_ACCOUNT_ID)) {
    throw new Error(`account ${PUBLISHER_ACCOUNT_ID} is reserved for the seeded public images`);
  }
  const primary = keys[0]!;
  const state = new SandboxState(
    region,
    {
      imagePendingMs: options.imagePendingMs ?? 2000,
      deletePendingMs: options.deletePendingMs ?? 0,
      exportTaskMs: options.exportTaskMs ?? 3000,
    },
    now,
  );
  const statePath = options.statePath;
  const loaded = statePath ? loadStateFile(state, statePath) : false;
  if (!loaded && options.seed !== false) seedState(state, primary.accountId);
  const persist = () => {
    if (statePath) saveStateFile(state, statePath);
  };
  if (!loaded) persist();

  const calls: RecordedCall[] = [];
  const sockets = new Set<Socket>();
  let port = options.port ?? 0;
  const host = options.host ?? DEFAULT_HOST;
  const handler: RequestListener = (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const work = path.startsWith('/_sandbox/')
      ? handleAdmin({ state, faults, calls, persist }, path, req, res)
      : (() => {
          const m = API_PATH.exec(path);
          if (!m) {
            apiNotFound(res);
            return Promise.resolve();
          }
          return handleApiCall(
            { state, faults, calls, region, now, persist, accountOf: (ak) => keys.find((k) => k.accessKey === ak) },
            m[1]!,
            req,
            res,
          );
        })();
    work.catch((e: unknown) => {
      log.error('sandbox request failed', { error: e });
      if (!res.headersSent) sendJson(res, 500, { Errors: [{ Code: '2000', Type: 'InternalError', Details: 'Internal error.' }] });
    });
  };
  const server: Server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, handler) : createServer(handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const faults = new FaultController({
    refuse: () => stopListening(server, sockets),
    accept: async () => {
      if (!server.listening) await listen(server, port, host);
    },
  });
  port = await listen(server, port, host);

  return {
    url: `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}/api/v1`,
    port,
    region,
    accessKey: primary.accessKey,
    secretKey: primary.secretKey,
    accountId: primary.accountId,
    faults,
    calls,
    state,
    close: () => stopListening(server, sockets),
  };
}
