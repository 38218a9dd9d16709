// The typed RPC adapter between grpc-js and the framework: each tfplugin6 method gets its request and response types
// from ../protocol/messages.ts, diagnostics are collected and attached, and any throw becomes an error diagnostic in
// a normal response, so that the server keeps serving.

import { CodecError } from '../protocol/codec/index.js';
import type * as M from '../protocol/messages.js';
import { log as processLog, type Logger } from '../common/log.js';
import { Diagnostics } from './diagnostics.js';

/** Request and response of each method that carries diagnostics. */
export interface DiagnosticRpcs {
  GetMetadata: [M.GetMetadata.Request, M.GetMetadata.Response];
  GetProviderSchema: [M.GetProviderSchema.Request, M.GetProviderSchema.Response];
  ValidateProviderConfig: [M.ValidateProviderConfig.Request, M.ValidateProviderConfig.Response];
  ConfigureProvider: [M.ConfigureProvider.Request, M.ConfigureProvider.Response];
  ValidateResourceConfig: [M.ValidateResourceConfig.Request, M.ValidateResourceConfig.Response];
  UpgradeResourceState: [M.UpgradeResourceState.Request, M.UpgradeResourceState.Response];
  ReadResource: [M.ReadResource.Request, M.ReadResource.Response];
  PlanResourceChange: [M.PlanResourceChange.Request, M.PlanResourceChange.Response];
  ApplyResourceChange: [M.ApplyResourceChange.Request, M.ApplyResourceChange.Response];
  ImportResourceState: [M.ImportResourceState.Request, M.ImportResourceState.Response];
  MoveResourceState: [M.MoveResourceState.Request, M.MoveResourceState.Response];
  ValidateDataResourceConfig: [M.ValidateDataResourceConfig.Request, M.ValidateDataResourceConfig.Response];
  ReadDataSource: [M.ReadDataSource.Request, M.ReadDataSource.Response];
  ValidateEphemeralResourceConfig: [M.ValidateEphemeralResourceConfig.Request, M.ValidateEphemeralResourceConfig.Response];
  OpenEphemeralResource: [M.OpenEphemeralResource.Request, M.OpenEphemeralResource.Response];
  RenewEphemeralResource: [M.RenewEphemeralResource.Request, M.RenewEphemeralResource.Response];
  CloseEphemeralResource: [M.CloseEphemeralResource.Request, M.CloseEphemeralResource.Response];
  GetFunctions: [M.GetFunctions.Request, M.GetFunctions.Response];
}

export type RpcName = keyof DiagnosticRpcs;
export type RpcRequest<N extends RpcName> = DiagnosticRpcs[N][0];
/** What a handler returns: the response without diagnostics (the adapter adds them). */
export type RpcBody<N extends RpcName> = Omit<DiagnosticRpcs[N][1], 'diagnostics'>;
export type RpcHandler<N extends RpcName> = (request: RpcRequest<N>, diags: Diagnostics) => Promise<RpcBody<N>>;

/** A unary handler as grpc-js calls it. */
export type GrpcHandler = (call: { request: unknown }, callback: (err: Error | null, response?: unknown) => void) => void;

export function rpc<N extends RpcName>(name: N, fn: RpcHandler<N>, log: Logger = processLog): GrpcHandler {
  return (call, callback) => {
    const started = Date.now();
    const diags = new Diagnostics();
    const request = (call.request ?? {}) as RpcRequest<N>;
    const done = (body: RpcBody<N> | Record<string, never>) => {
      log.debug(`${name} done`, { tf_rpc: name, duration_ms: Date.now() - started, diagnostics: diags.items.length });
      const response = { ...body, diagnostics: diags.toProto() } as DiagnosticRpcs[N][1];
      callback(null, response);
    };
    log.trace(`${name} received`, { tf_rpc: name, tf_resource_type: (request as { type_name?: string }).type_name });
    fn(request, diags).then(done, (e: unknown) => {
      if (e instanceof CodecError) diags.error('Invalid value received from Terraform', e.message, e.path);
      else {
        log.error(`${name} failed`, { tf_rpc: name, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
        diags.fromError(e); // summary "Unexpected provider error": the RPC name means nothing to a user
      }
      done({});
    });
  };
}

/** A method this provider does not offer: a normal response with one error diagnostic. */
export function unsupported(name: RpcName, log?: Logger): GrpcHandler {
  return rpc(
    name,
    async (_req, diags) => {
      diags.error(`${name} is not supported`, `The OUTSCALE provider does not support ${name}.`);
      return {};
    },
    log,
  );
}
