import { defineConfig } from "drizzle-kit";

// Generation only (`npm run db:generate`): migrations are applied by `dondoc migrate`,
// never pushed, so no database URL is needed here.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/store/schema.ts",
  out: "./migrations",
  casing: "snake_case",
});
