// What the global setup (global-setup.ts) hands every test file through `inject`.
declare module "vitest" {
  export interface ProvidedContext {
    testDatabase: { serverUrl: string; template: string };
  }
}
export {};
