export { createPrisma, auditKeyOf, type Db, type DbOptions } from './client.ts';
export { applyMigrations, migrationsDir, MigrationError, type MigrationResult } from './migrations.ts';
export * from './generated/client.ts';
export {
  recordAudit,
  rekeyAuditChain,
  rekeyAfterMigrations,
  AuditRekeyRefused,
  AUDIT_REKEY_MIGRATION,
  type RekeyResult,
  deriveAuditKey,
  keyedHash,
  unkeyedHash,
  GENESIS_HASH,
  type Actor,
  type AuditInput,
} from './audit.ts';
export { checkpointAuditChain, checkpointAuditHead, type CheckpointResult } from './audit-checkpointing.ts';
export {
  verifyAuditChain,
  type VerifyOptions,
  type AuditVerification,
  type AuditProblem,
  type AuditProblemReason,
} from './audit-verify.ts';
export {
  AuditCheckpointFile,
  deriveCheckpointKey,
  emptyCheckpointLog,
  type AuditCheckpoint,
  type CheckpointLog,
} from './audit-checkpoints.ts';
export { ensureInitialAdmin, INITIAL_ADMIN } from './seed.ts';
export { lockDeviceRow } from './locks.ts';
