import { defineConfig } from "prisma/config";

// Only `prisma generate` runs here; migrations are applied by @o2o/runtime's migrator.
export default defineConfig({ schema: "prisma/schema.prisma", migrations: { path: "prisma/migrations" } });
