export { createPrisma, type Db } from './client.ts';
export { applyMigrations, migrationsDir, type MigrationResult } from './migrations.ts';
export { Prisma } from './generated/client.ts';
export * from './generated/enums.ts';
export type * from './generated/models.ts';
