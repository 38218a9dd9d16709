// The OUTSCALE provider: its configuration, its resources and data sources, served as tfplugin6.Provider by the framework.

import type { OscClient } from './outscale/client.js';
import type { Session } from './common/session.js';
import { createProviderServer, type ProviderService } from './framework/provider-server.js';
import type { ProviderDefinition } from './framework/resource.js';
import { configureClient } from './provider/configure.js';
import { providerSchema } from './provider/schema.js';
import { withFailureNames } from './framework/failure.js';
import { imageFailureNames } from './resources/image/failure-names.js';
import { imageResource } from './resources/image/resource.js';
import { imageExportTaskResource } from './resources/image-export-task/resource.js';
import { imageLaunchPermissionResource } from './resources/image-launch-permission/resource.js';
import { imageDataSource } from './datasources/image/image.js';
import { imagesDataSource } from './datasources/image/images.js';
import { imageExportTaskDataSource, imageExportTasksDataSource } from './datasources/image-export-task/read.js';

export const outscaleProvider: ProviderDefinition<OscClient> = {
  typeName: 'outscale',
  schema: providerSchema,
  configure: (config, { diagnostics, session }) => configureClient(config, diagnostics, session),
  closeClient: (client) => client.close(),
  resources: [
    withFailureNames(imageResource, imageFailureNames),
    withFailureNames(imageLaunchPermissionResource, { noun: 'OMI launch permission' }),
    withFailureNames(imageExportTaskResource, { noun: 'OMI export task' }),
  ],
  dataSources: [imageDataSource, imagesDataSource, imageExportTaskDataSource, imageExportTasksDataSource],
};

/** `session`: the launch served (warm mode); undefined: this process's own. */
export function createProviderService(session?: Session): ProviderService {
  return createProviderServer(outscaleProvider, session);
}
