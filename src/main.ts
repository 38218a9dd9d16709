// Entry point of the terraform-provider-outscale binary. Terraform runs it without arguments; people may run it
// with --debug (serve for TF_REATTACH_PROVIDERS), --version or --help.
// Heavy modules (gRPC, the provider) are loaded only on the serving path, the provider itself after the handshake.

import { PROVIDER_VERSION as VERSION } from './common/version.js';
import { writeStdout } from './host/stdout.js';

const USAGE = `terraform-provider-outscale ${VERSION} — Terraform provider for the OUTSCALE cloud (plugin protocol 6)

Terraform starts this program itself; it is not meant to be run by hand.

Options:
  --debug     serve without Terraform launching it, and print a TF_REATTACH_PROVIDERS value to use with terraform
  --version   print the version
  --help      print this help
`;

interface Arguments {
  debug: boolean;
  version: boolean;
  help: boolean;
  unknown: string[];
}

function parseArguments(argv: readonly string[]): Arguments {
  const parsed: Arguments = { debug: false, version: false, help: false, unknown: [] };
  for (const arg of argv) {
    if (arg === '--debug' || arg === '-debug') parsed.debug = true;
    else if (arg === '--version' || arg === '-version' || arg === 'version') parsed.version = true;
    else if (arg === '--help' || arg === '-help' || arg === '-h') parsed.help = true;
    else parsed.unknown.push(arg);
  }
  return parsed;
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  if (args.unknown.length > 0) {
    process.stderr.write(`unknown argument: ${args.unknown.join(' ')}\n\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) return writeStdout(USAGE);
  if (args.version) return writeStdout(`terraform-provider-outscale ${VERSION}\n`);

  const { servePlugin } = await import('./host/serve.js');
  await servePlugin({
    debug: args.debug,
    provider: async () => {
      const { createProviderService } = await import('./provider.js');
      return createProviderService().service;
    },
    // Like go-plugin servers, SIGINT is ignored: the terminal sends it to the whole process group, and Terraform
    // itself decides what to stop and says so with StopProvider (which cancels the calls in flight).
    onInterrupt: () => {},
  });
}

void main();
