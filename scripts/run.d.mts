// Types of scripts/run.mjs for the TypeScript that spawns servers (e2e, benches).
/** `env` with MALLOC_ARENA_MAX=2 unless it names its own. */
export declare const serverEnv: (env?: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;
