// The OUTSCALE provider: its configuration and its resources, served as tfplugin6.Provider by the framework.

import type { OscClient } from './outscale/client.js';
import { createProviderServer, type ProviderService } from './framework/provider-server.js';
import type { ProviderDefinition } from './framework/resource.js';
import { configureClient } from './provider/configure.js';
import { providerSchema } from './provider/schema.js';
import { withFailureNames } from './framework/failure.js';
import { imageFailureNames } from './resources/image/failure-names.js';
import { imageResource } from './resources/image/resource.js';

export const outscaleProvider: ProviderDefinition<OscClient> = {
  typeName: 'outscale',
  schema: providerSchema,
  configure: (config, { diagnostics }) => configureClient(config, diagnostics),
  resources: [withFailureNames(imageResource, imageFailureNames)],
};

export function createProviderService(): ProviderService {
  return createProviderServer(outscaleProvider);
}
