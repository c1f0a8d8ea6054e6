import { defineConfig } from "drizzle-kit";

// Every feature keeps its SQLite tables in src/<feature>/*.schema.sqlite.ts.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/**/*.schema.sqlite.ts",
  out: "./migrations/sqlite",
});
