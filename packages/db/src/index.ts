export { createPrisma, type Db } from './client.ts';
export { applyMigrations, migrationsDir, MigrationError, type MigrationResult } from './migrations.ts';
export * from './generated/client.ts';
export { recordAudit, verifyAuditChain, GENESIS_HASH, type Actor, type AuditInput } from './audit.ts';
export { ensureInitialAdmin, INITIAL_ADMIN } from './seed.ts';
