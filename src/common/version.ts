// The provider's version. package.json is the one source: --version, the User-Agent, the release file names and the
// network mirror's index all read it (the bundles inline the import at build time).
import packageJson from '../../package.json' with { type: 'json' };

export const PROVIDER_VERSION: string = packageJson.version;
