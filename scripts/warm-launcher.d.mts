// Types for scripts/warm-launcher.mjs (what the warm-mode tests read of it).
export declare const RESIDENT_NODE_FLAGS: readonly string[];
export declare const BUILD_ID_FILE: string;
