// Retention on every test store: data of different ages is removed exactly when it passed its
// period (runs with their files only when finished), a dry run removes nothing, the report is kept
// and audited, the schedule prunes by itself, and admins read the last report over HTTP.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEmptyPgDatabase, testStoreKinds } from "../store/test-db";
import { createFsBlobStore, type BlobStore } from "../store/blob-store";
import { createLogger } from "../log/logger";
import { createTestApp, type TestApp } from "../identity/test-app";
import { insertTestTool, type TestTool } from "../execution/test-runs";
import { retentionCommand } from "../cli/retention";
import { bytesOf, runCommand, seedRun, writeTestConfig, type SeededRun } from "./ops.test-data";
import { opsTestApp } from "./ops.test-app";
import { createRetentionDeps, pruneRetention, startRetentionSchedule, type RetentionDeps } from "./retention.service";
import { retentionRoutes } from "./retention.routes";
import { quoteIdent } from "./store-introspection";
import type { RetentionItem } from "./retention.rules";

const DAY = 86_400_000;
const NOW = new Date("2026-03-02T08:00:00.000Z");
const ago = (days: number, extraMs = 0) => new Date(NOW.getTime() - days * DAY - extraMs);

for (const kind of testStoreKinds()) {
  describe(`retention on ${kind}`, () => {
    let h: TestApp;
    let dir: string;
    let blobs: BlobStore;
    let deps: RetentionDeps;
    let tool: TestTool;
    const runs: Record<string, SeededRun> = {};
    const userId = () => h.users.user;

    async function ids(table: string): Promise<string[]> {
      const q = `SELECT id FROM ${quoteIdent(table)} ORDER BY id`;
      const rows = h.store.dialect === "sqlite" ? (h.store.sqlite.query(q).all() as { id: string }[]) : await h.store.sql.unsafe<{ id: string }[]>(q);
      return rows.map((r) => r.id);
    }
    const item = (items: RetentionItem[], k: RetentionItem["kind"]) => items.find((i) => i.kind === k)!;

    const expired = { login: "", audit: "", sessionExpired: "", sessionRevoked: "", sessionIdle: "", tokenExpired: "", tokenUsed: "" };
    const kept = { login: "", audit: "", sessionLive: "", sessionRecent: "", tokenValid: "" };

    beforeAll(async () => {
      h = await createTestApp(kind);
      dir = mkdtempSync(join(tmpdir(), "skt-retention-"));
      blobs = createFsBlobStore(dir);
      h.config.retention = { enabled: true, runs_days: 90, sandbox_runs_days: 30, login_events_days: 180, audit_events_days: 730, documents_days: 365 };
      deps = createRetentionDeps({ store: h.store, config: { ...h.config, storage: { ...h.config.storage, data_dir: dir } }, log: createLogger({ level: "error", write: () => {} }), now: () => NOW });
      tool = await insertTestTool(h.store, { source: "def run_tool(i, o):\n    pass\n" });
      const files = (n: string) => ({ inputs: [{ name: `${n}.csv`, data: bytesOf(`in ${n}`) }], artifacts: [{ name: `${n}.txt`, data: bytesOf(`out ${n} `.repeat(10)) }] });
      const seed = async (name: string, input: Omit<Parameters<typeof seedRun>[2], "tool" | "userId">) => void (runs[name] = await seedRun(h.store, blobs, { tool, userId: userId(), ...input, ...files(name) }));
      await seed("old-succeeded", { finishedAt: ago(100) });
      await seed("old-failed", { status: "failed", finishedAt: ago(90, 1) });
      await seed("recent-cancelled", { status: "cancelled", finishedAt: ago(89) });
      await seed("old-queued", { status: "queued", finishedAt: null });
      await seed("old-running", { status: "running", finishedAt: null });
      await seed("sandbox-old", { kind: "sandbox", finishedAt: ago(31) });
      await seed("sandbox-recent", { kind: "sandbox", finishedAt: ago(29) });
      await seed("production-31d", { finishedAt: ago(31) });
      // queued and running runs from long ago stay: only finished runs are pruned
      const old = ago(400);
      const q = "UPDATE runs SET queued_at = $1 WHERE id IN ($2, $3)";
      if (h.store.dialect === "sqlite") h.store.sqlite.query(q.replaceAll(/\$\d/g, "?")).run(old.getTime(), runs["old-queued"]!.id, runs["old-running"]!.id);
      else await h.store.sql.unsafe(q, [old.toISOString(), runs["old-queued"]!.id, runs["old-running"]!.id]);

      const login = (at: Date) => h.deps.loginEvents.record({ userId: userId(), email: "user@skola.se", outcome: "bad_password", ip: "10.0.0.1", userAgent: "test", createdAt: at });
      expired.login = (await login(ago(181))).id;
      kept.login = (await login(ago(179))).id;
      const audit = (at: Date) => h.deps.audit.append({ actorId: null, actorEmail: null, action: "auth.logout", targetType: null, targetId: null, before: null, after: null, ip: null, userAgent: null, requestId: null, createdAt: at });
      expired.audit = (await audit(ago(731))).id;
      kept.audit = (await audit(ago(729))).id;
      const session = (name: string, createdAt: Date, expiresAt: Date) =>
        h.deps.sessions.create({ tokenHash: `hash-${name}`, userId: userId(), csrfToken: "c", ip: "10.0.0.1", userAgent: "test", createdAt, expiresAt });
      expired.sessionExpired = (await session("expired", ago(190), ago(181))).id;
      const revoked = await session("revoked", ago(300), new Date(NOW.getTime() + 400 * DAY));
      await h.deps.sessions.revoke(revoked.id, ago(200));
      expired.sessionRevoked = revoked.id;
      // idle for 200 days though its absolute expiry is ahead: ended long ago
      expired.sessionIdle = (await session("idle", ago(200), new Date(NOW.getTime() + 200 * DAY))).id;
      kept.sessionLive = (await session("live", NOW, new Date(NOW.getTime() + DAY))).id;
      kept.sessionRecent = (await session("recent", ago(20), ago(10))).id;
      const token = async (name: string, created: Date, expires: Date) => (await h.deps.emailTokens.create({ tokenHash: `tok-${name}`, userId: userId(), purpose: name === "used" ? "reset_password" : "verify_email", expiresAt: expires, now: created })).id;
      expired.tokenExpired = await token("expired", ago(201), ago(200));
      expired.tokenUsed = await token("used", ago(182), new Date(NOW.getTime() + DAY));
      await h.deps.emailTokens.consume("tok-used", "reset_password", ago(181));
      kept.tokenValid = await token("valid", NOW, new Date(NOW.getTime() + DAY));
    });
    afterAll(async () => {
      await h?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const removedRuns = ["old-succeeded", "old-failed", "sandbox-old"];
    const keptRuns = ["recent-cancelled", "old-queued", "old-running", "sandbox-recent", "production-31d"];
    const runBytes = (names: string[]) => names.flatMap((n) => runs[n]!.blobs).reduce((s, b) => s + b.bytes, 0);

    test("a dry run counts exactly what has expired and removes nothing", async () => {
      const before = { runs: await ids("runs"), login: await ids("login_events"), audit: await ids("audit_events"), sessions: await ids("sessions"), tokens: await ids("email_tokens") };
      const report = await pruneRetention(deps, { dryRun: true, trigger: "cli" });
      expect(report.dry_run).toBe(true);
      expect(item(report.items, "runs")).toMatchObject({ rows: 2, files: 4, bytes: runBytes(["old-succeeded", "old-failed"]), days: 90, key: "retention.runs_days", cutoff: ago(90).toISOString() });
      expect(item(report.items, "sandbox_runs")).toMatchObject({ rows: 1, files: 2, bytes: runBytes(["sandbox-old"]), days: 30 });
      expect(item(report.items, "login_events").rows).toBe(1);
      expect(item(report.items, "audit_events").rows).toBe(1);
      expect(item(report.items, "sessions").rows).toBe(3);
      expect(item(report.items, "email_tokens").rows).toBe(2);
      // every kind is handled now (retention.features.test.ts covers the newer ones)
      expect(report.items.filter((i) => i.skipped)).toEqual([]);
      expect({ runs: await ids("runs"), login: await ids("login_events"), audit: await ids("audit_events"), sessions: await ids("sessions"), tokens: await ids("email_tokens") }).toEqual(before);
      for (const n of removedRuns) for (const b of runs[n]!.blobs) expect(await blobs.get(b.key)).not.toBeNull();
      expect(await deps.repo.lastReport()).toBeNull();
      expect(await h.deps.audit.list({ action: "retention.pruned" })).toEqual([]);
    });

    test("a prune removes exactly the expired rows and their files, keeps the report and audits it", async () => {
      const report = await pruneRetention(deps, { dryRun: false, trigger: "cli" });
      expect(report.errors).toEqual([]);
      expect(item(report.items, "runs")).toMatchObject({ rows: 2, files: 4, bytes: runBytes(["old-succeeded", "old-failed"]) });
      expect(item(report.items, "sandbox_runs")).toMatchObject({ rows: 1, files: 2 });
      expect(await ids("runs")).toEqual(keptRuns.map((n) => runs[n]!.id).sort());
      for (const n of removedRuns) {
        for (const b of runs[n]!.blobs) expect(await blobs.get(b.key)).toBeNull();
        expect(existsSync(join(dir, "blobs", "runs", runs[n]!.id))).toBe(false);
      }
      for (const n of keptRuns) for (const b of runs[n]!.blobs) expect(await blobs.get(b.key)).not.toBeNull();
      // the child rows went with their runs
      const q = (t: string) => `SELECT count(*) AS n FROM ${t} WHERE run_id IN ('${removedRuns.map((n) => runs[n]!.id).join("','")}')`;
      for (const t of ["jobs", "run_files", "artifacts"]) {
        const n = h.store.dialect === "sqlite" ? (h.store.sqlite.query(q(t)).get() as { n: number }).n : Number((await h.store.sql.unsafe<{ n: string }[]>(q(t)))[0]!.n);
        expect({ t, n }).toEqual({ t, n: 0 });
      }
      expect(await ids("login_events")).not.toContain(expired.login);
      expect(await ids("login_events")).toContain(kept.login);
      expect(await ids("audit_events")).not.toContain(expired.audit);
      expect(await ids("audit_events")).toContain(kept.audit);
      const sessions = await ids("sessions");
      expect(sessions).toEqual(expect.arrayContaining([kept.sessionLive, kept.sessionRecent]));
      for (const id of [expired.sessionExpired, expired.sessionRevoked, expired.sessionIdle]) expect(sessions).not.toContain(id);
      const tokens = await ids("email_tokens");
      expect(tokens).toContain(kept.tokenValid);
      for (const id of [expired.tokenExpired, expired.tokenUsed]) expect(tokens).not.toContain(id);

      expect((await deps.repo.lastReport())?.report).toEqual(report);
      const [event] = await h.deps.audit.list({ action: "retention.pruned" });
      expect(event).toMatchObject({ actorId: "cli", targetId: null });
      expect((event!.after as { items: { kind: string; rows: number }[] }).items.map((i) => [i.kind, i.rows])).toEqual([
        ["runs", 2],
        ["sandbox_runs", 1],
        ["login_events", 1],
        ["sessions", 3],
        ["email_tokens", 2],
        ["audit_events", 1],
        ["documents", 0],
        ["sandbox_snapshots", 0],
        ["webhook_deliveries", 0],
        ["api_keys", 0],
        ["device_grants", 0],
      ]);

      const again = await pruneRetention(deps, { dryRun: false, trigger: "cli" });
      expect(again.items.map((i) => i.rows)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    });

    test("removal goes in batches: more runs than one batch are all removed", async () => {
      const many: string[] = [];
      for (let i = 0; i < 205; i++) many.push((await seedRun(h.store, blobs, { tool, userId: userId(), finishedAt: ago(120), inputs: [{ name: "x", data: bytesOf(`x${i}`) }] })).id);
      const report = await pruneRetention(deps, { dryRun: false, trigger: "cli" });
      expect(item(report.items, "runs")).toMatchObject({ rows: 205, files: 205 });
      expect((await ids("runs")).filter((id) => many.includes(id))).toEqual([]);
    });

    test("the daily schedule prunes by itself and stops cleanly; enabled = false turns it off", async () => {
      await seedRun(h.store, blobs, { tool, userId: userId(), finishedAt: ago(95) });
      const off = startRetentionSchedule({ ...deps, config: { ...deps.config, retention: { ...deps.config.retention, enabled: false } } }, { firstDelayMs: 1, intervalMs: 5 });
      await Bun.sleep(40);
      await off.stop();
      expect((await deps.repo.lastReport())?.report.trigger).toBe("cli");
      const schedule = startRetentionSchedule(deps, { firstDelayMs: 5, intervalMs: 60_000 });
      for (let i = 0; i < 200 && (await deps.repo.lastReport())?.report.trigger !== "schedule"; i++) await Bun.sleep(10);
      await schedule.stop();
      const last = (await deps.repo.lastReport())!.report;
      expect(last.trigger).toBe("schedule");
      expect(item(last.items, "runs").rows).toBe(1);
      const events = await h.deps.audit.list({ action: "retention.pruned" });
      expect(events.at(-1)).toMatchObject({ actorId: null, actorEmail: null });
    });

    test("GET /api/v1/admin/retention: admins read the periods and the last report; others are refused", async () => {
      const t = opsTestApp(h, [(ctx) => retentionRoutes(ctx, deps)]);
      const r = await (await t.as("admin")).get("/api/v1/admin/retention");
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ enabled: true, periods: { runs_days: 90, sandbox_runs_days: 30, login_events_days: 180, audit_events_days: 730, documents_days: 365 } });
      expect(r.body.last_report).toEqual((await deps.repo.lastReport())!.report);
      expect((await (await t.as("contributor")).get("/api/v1/admin/retention")).status).toBe(403);
      expect((await t.browser().get("/api/v1/admin/retention")).status).toBe(401);
    });

    test("retention prune from the command line prints the report; --dry-run removes nothing", async () => {
      const root = mkdtempSync(join(tmpdir(), "skt-retention-cli-"));
      const pg = kind === "postgres" ? await createEmptyPgDatabase() : null;
      try {
        const config = writeTestConfig(join(root, "s.toml"), { dataDir: join(root, "data"), databaseUrl: pg?.url ?? "" });
        const dry = await runCommand(retentionCommand, ["prune", "--dry-run", "--config", config], { cwd: root });
        expect(dry.code).toBe(0);
        expect(dry.out[0]).toBe("Dry run: nothing was removed.");
        expect(dry.out.find((l) => l.trim().startsWith("runs"))).toMatch(/^ {2}runs\s+would remove 0 — older than 90 days \(retention\.runs_days\), before \d{4}-\d\d-\d\d$/);
        expect(dry.out.find((l) => l.trim().startsWith("documents"))).toMatch(/^ {2}documents\s+would remove 0 — older than 365 days \(retention\.documents_days\)/);
        expect(dry.out.at(-1)).toBe("Total: would remove 0 rows and 0 files (0 B).");
        const real = await runCommand(retentionCommand, ["prune", "--config", config], { cwd: root });
        expect(real.code).toBe(0);
        expect(real.out[0]).toMatch(/^Pruned at /);
        expect((await runCommand(retentionCommand, ["purge", "--config", config], { cwd: root })).code).toBe(2);
      } finally {
        await pg?.drop();
        rmSync(root, { recursive: true, force: true });
      }
    });
  });
}
