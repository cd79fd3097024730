// What global-setup.ts provides to every test file through vitest's inject().
declare module 'vitest' {
  export interface ProvidedContext {
    /** The cluster's superuser, on the maintenance database: creating and dropping databases, attacks. */
    pgAdminUrl: string;
    /** The owner role (hitless_owner), on the maintenance database: migrations. */
    pgOwnerUrl: string;
    /** The application role (hitless_app), on the maintenance database: what the product's processes use. */
    pgAppUrl: string;
    redisUrl: string;
  }
}

export {};
