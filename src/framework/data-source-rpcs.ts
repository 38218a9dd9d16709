// The data-source RPCs. Terraform validates every data source, and reads one only once its config is wholly known
// (during plan, or during apply when it depends on values not known yet).

import { readDataSource } from './data-source-read.js';
import { rpc, type GrpcHandler } from './rpc.js';
import type { ServerContext } from './server-context.js';
import { validateConfig } from './validate.js';
import { nullUnknowns } from './values.js';
import { decodeObject, encodeObject } from './wire.js';
import type { ObjectValue } from '../protocol/value.js';

export function dataSourceRpcs<Client>(server: ServerContext<Client>): Record<string, GrpcHandler> {
  const { registry } = server;
  return {
    ValidateDataResourceConfig: rpc('ValidateDataResourceConfig', async (req, diags) => {
      const ds = registry.dataSource(req.type_name);
      validateConfig(ds, decodeObject(req.config, ds.schema), diags);
      return {};
    }, server.log),

    ReadDataSource: rpc('ReadDataSource', async (req, diags) => {
      const ds = registry.dataSource(req.type_name);
      const config = decodeObject(req.config, ds.schema);
      if (config === null) {
        diags.error('No configuration', `Terraform sent no configuration for ${ds.typeName}.`);
        return {};
      }
      server.requireClient(diags);
      // still a conforming, known object: Terraform checks the state before it looks at the errors
      if (diags.hasErrors()) return { state: encodeObject(nullUnknowns(config) as ObjectValue, ds.schema) };
      const state = await readDataSource(ds, config, server.callContext(diags), diags);
      return { state: encodeObject(state, ds.schema) };
    }, server.log),
  };
}
