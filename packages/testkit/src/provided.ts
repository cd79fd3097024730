// What global-setup.ts provides to every test file through vitest's inject().
declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    redisUrl: string;
  }
}

export {};
