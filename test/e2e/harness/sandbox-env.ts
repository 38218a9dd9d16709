// Environment handing a local OUTSCALE API sandbox to terraform (the provider inherits terraform's environment).
// Structural type on purpose: the harness does not depend on src/sandbox.

export interface SandboxEndpoint {
  url: string;
  accessKey: string;
  secretKey: string;
  region: string;
}

export function sandboxEnv(sandbox: SandboxEndpoint): Record<string, string> {
  return {
    OSC_ENDPOINT_API: sandbox.url,
    OSC_ACCESS_KEY: sandbox.accessKey,
    OSC_SECRET_KEY: sandbox.secretKey,
    OSC_REGION: sandbox.region,
  };
}
