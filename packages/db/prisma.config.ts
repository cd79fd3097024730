// Prisma CLI configuration. The schema lives at the repository's top level (prisma/), the
// CLI runs from this package. The JS schema engine with the pg adapter is used because the
// native engines cannot be downloaded here (see packages/db/README.md).
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';

// `prisma generate` never connects, but without a datasource URL the CLI tries to download a
// query engine; `migrate diff` needs a real one (the embedded server's, see src/migrations-cli.ts).
process.env.DATABASE_URL ??= 'postgresql://hitless@127.0.0.1:1/hitless';
process.env.CHECKPOINT_DISABLE ??= '1';
const connectionString = process.env.DATABASE_URL;

export default defineConfig({
  schema: '../../prisma/schema.prisma',
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => new PrismaPg({ connectionString, allowExitOnIdle: true }),
});
