export { createPrisma, auditKeyOf, type Db, type DbOptions } from './client.ts';
export { applyMigrations, migrationsDir, MigrationError, type MigrationResult } from './migrations.ts';
export * from './generated/client.ts';
export {
  recordAudit,
  rekeyAuditChain,
  deriveAuditKey,
  keyedHash,
  unkeyedHash,
  GENESIS_HASH,
  type Actor,
  type AuditInput,
} from './audit.ts';
export {
  verifyAuditChain,
  checkpointAuditChain,
  type AuditVerification,
  type AuditProblem,
  type AuditProblemReason,
} from './audit-verify.ts';
export {
  AuditCheckpointFile,
  deriveCheckpointKey,
  type AuditCheckpoint,
  type CheckpointLog,
} from './audit-checkpoints.ts';
export { ensureInitialAdmin, INITIAL_ADMIN } from './seed.ts';
