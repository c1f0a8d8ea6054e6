import { defineConfig } from "drizzle-kit";

// Every feature keeps its PostgreSQL tables in src/<feature>/*.schema.pg.ts.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/**/*.schema.pg.ts",
  out: "./migrations/postgres",
});
