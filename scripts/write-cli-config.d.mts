// Types for scripts/write-cli-config.mjs (imported by the e2e harness and the demo script).
export declare const PROVIDER_SOURCE: string;
export declare const REPO_ROOT: string;
export declare const DEFAULT_BIN_DIR: string;
export declare const DEFAULT_OUT: string;
export declare function cliConfigText(binDir: string): string;
export declare function writeCliConfig(options?: { binDir?: string; out?: string }): string;
