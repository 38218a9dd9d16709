// tfplugin6.Provider on top of a ProviderDefinition: the provider-level RPCs here, the resource and data-source RPCs
// in resource-rpcs.ts and data-source-rpcs.ts, all through the typed adapter of rpc.ts (a throw becomes an error
// diagnostic and the server keeps serving). The type registry answers GetMetadata and GetProviderSchema.

import type * as M from '../protocol/messages.js';
import type { Session } from '../common/session.js';
import { dataSourceRpcs } from './data-source-rpcs.js';
import { TypeRegistry } from './registry.js';
import type { ProviderDefinition } from './resource.js';
import { resourceRpcs } from './resource-rpcs.js';
import { rpc, unsupported, type GrpcHandler } from './rpc.js';
import { schemaToProto } from './schema-proto.js';
import { ServerContext } from './server-context.js';
import { validateConfig } from './validate.js';
import { decodeObject } from './wire.js';

export interface ProviderService {
  service: Record<string, GrpcHandler>;
  /** Cancels every wait and API call in flight (StopProvider, SIGINT). */
  stop(): void;
  /** Frees the configured client (its connections): the session is over and no call is left. */
  close(): void;
}

const CAPABILITIES = { plan_destroy: true, get_provider_schema_optional: true } as const;

/** `session`: the launch this server answers (warm mode); undefined: the process's own environment and stderr. */
export function createProviderServer<Client>(provider: ProviderDefinition<Client>, session?: Session): ProviderService {
  const registry = new TypeRegistry(provider);
  const server = new ServerContext(registry, session);
  const log = server.log;
  let schemaResponse: Omit<M.GetProviderSchema.Response, 'diagnostics'> | undefined;

  const service: Record<string, GrpcHandler> = {
    GetMetadata: rpc('GetMetadata', async () => ({
      server_capabilities: CAPABILITIES,
      ...registry.metadata(),
      functions: [],
      ephemeral_resources: [],
    }), log),

    GetProviderSchema: rpc('GetProviderSchema', async () =>
      (schemaResponse ??= {
        provider: schemaToProto(provider.schema),
        ...registry.protoSchemas(),
        functions: {},
        ephemeral_resource_schemas: {},
        server_capabilities: { ...CAPABILITIES, move_resource_state: false },
      }),
      log,
    ),

    ValidateProviderConfig: rpc('ValidateProviderConfig', async (req, diags) => {
      validateConfig(provider, decodeObject(req.config, provider.schema), diags);
      return {};
    }, log),

    ConfigureProvider: rpc('ConfigureProvider', async (req, diags) => {
      const config = decodeObject(req.config, provider.schema);
      server.client = await provider.configure(config ?? {}, { diagnostics: diags, terraformVersion: String(req.terraform_version ?? ''), session });
      return {};
    }, log),

    ...resourceRpcs(server),
    ...dataSourceRpcs(server),

    StopProvider: (_call, callback) => {
      log.info('StopProvider: cancelling calls in flight');
      server.stop('Terraform asked the provider to stop');
      callback(null, { Error: '' } satisfies M.StopProvider.Response);
    },

    MoveResourceState: unsupported('MoveResourceState', log),
    ValidateEphemeralResourceConfig: unsupported('ValidateEphemeralResourceConfig', log),
    OpenEphemeralResource: unsupported('OpenEphemeralResource', log),
    RenewEphemeralResource: unsupported('RenewEphemeralResource', log),
    CloseEphemeralResource: unsupported('CloseEphemeralResource', log),
    GetFunctions: rpc('GetFunctions', async () => ({ functions: {} }), log),
    CallFunction: (_call, callback) =>
      callback(null, { error: { text: 'The OUTSCALE provider has no functions.' } } satisfies M.CallFunction.Response),
  };

  return {
    service,
    stop() {
      server.stop('interrupted');
    },
    close() {
      const client = server.client;
      server.client = undefined;
      if (client !== undefined) provider.closeClient?.(client);
    },
  };
}
