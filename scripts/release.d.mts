// Types for scripts/release.mjs (imported by the distribution tests and scripts/install-provider.mjs).
export declare const REPO_ROOT: string;
export declare const PROVIDER_TYPE: string;
export declare const PLATFORMS: readonly string[];
export declare function packageVersion(): string;
export declare function currentPlatform(): string;
export declare function executableName(version: string): string;
export declare function buildStandaloneProvider(options?: { version?: string; kind?: 'executable' | 'sea' }): Promise<string>;
export declare function zipArchive(entries: Array<{ name: string; data: Buffer; mode?: number }>, date?: Date): Buffer;
export declare function sha256(data: Buffer | string): string;
export declare function buildRelease(options?: {
  outDir?: string;
  sea?: boolean;
  log?: (line: string) => void;
}): Promise<{ version: string; outDir: string; files: string[] }>;
