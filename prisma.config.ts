// Prisma CLI configuration. The native schema engine cannot be downloaded on these machines, so the
// CLI runs its WebAssembly engine ("js") through the pg driver adapter. The CLI is used for
// `prisma generate` and `prisma migrate diff`; migrations are applied by libs/database/src/cli.
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  experimental: { adapter: true },
  engine: 'js',
  adapter: () => Promise.resolve(new PrismaPg({ connectionString: process.env.DATABASE_URL ?? '' })),
});
