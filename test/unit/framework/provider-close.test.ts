// A session of the warm resident ends with ProviderService.close(): the configured client is handed to the
// provider's closeClient once (its API connections would otherwise stay open in a process that lives on).
import { describe, expect, it } from 'vitest';
import { createProviderServer } from '../../../src/framework/provider-server.js';
import type { ProviderDefinition } from '../../../src/framework/resource.js';
import { impliedType } from '../../../src/framework/schema.js';
import { encodeMsgpack } from '../../../src/protocol/codec/index.js';
import { objectValue } from '../../../src/protocol/value.js';

type Client = { id: number };

function definition(closed: Client[]): ProviderDefinition<Client> {
  let made = 0;
  return {
    typeName: 'test',
    schema: { version: 0, block: { attributes: {} } },
    async configure() {
      return { id: ++made };
    },
    closeClient: (client) => void closed.push(client),
    resources: [],
  };
}

const emptyConfig = { config: { msgpack: Buffer.from(encodeMsgpack(objectValue(), impliedType({ attributes: {} }))) } };

function configure(service: Record<string, Function>): Promise<unknown> {
  return new Promise((resolve, reject) => service.ConfigureProvider!({ request: emptyConfig }, (e: Error | null, r: unknown) => (e ? reject(e) : resolve(r))));
}

describe('closing a provider server', () => {
  it('hands the configured client to closeClient once, and nothing when none was configured', async () => {
    const closed: Client[] = [];
    const unconfigured = createProviderServer(definition(closed));
    unconfigured.close();
    expect(closed).toEqual([]);

    const server = createProviderServer(definition(closed));
    await configure(server.service);
    server.close();
    server.close();
    expect(closed).toEqual([{ id: 1 }]);
  });
});
