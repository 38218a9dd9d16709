// Types for scripts/release.mjs (imported by the distribution tests and scripts/install-provider.mjs).
export declare const REPO_ROOT: string;
export declare const PROVIDER_TYPE: string;
export declare const PLATFORMS: readonly string[];
export declare function packageVersion(): string;
export declare function currentPlatform(): string;
export declare function executableName(version: string): string;
export declare function buildStandaloneProvider(options?: { version?: string; kind?: 'executable' | 'sea' }): Promise<string>;
export declare function sha256(data: Buffer | string): string;
export declare function changelogSection(version: string): string;
export declare function buildRelease(options?: {
  outDir?: string;
  /** Default true: single executables for the platforms the npm registry has a Node 20 for. */
  sea?: boolean;
  nodeVersion?: string;
  signing?: { key: string; passphrase?: string };
  log?: (line: string) => void;
}): Promise<{ version: string; outDir: string; files: string[]; nodeVersion?: string }>;
