// `skriptoteket user` against a real config file and store (SQLite, and PostgreSQL when configured).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEmptyPgDatabase, testStoreKinds } from "../store/test-db";
import { openStore, type Store } from "../store/db";
import { createIdentityRepositories, type IdentityRepositories } from "../identity/identity.deps";
import { CliError } from "./cli-error";
import { createUserCommand, type PasswordPrompt } from "./user";

type Result = { code: number; out: string[]; err: string[] };

for (const kind of testStoreKinds()) {
  describe(`user command on ${kind}`, () => {
    let dir: string;
    let configFile: string;
    let dropPg: (() => Promise<void>) | null = null;
    let store: Store;
    let repos: IdentityRepositories;
    let answers: string[] = [];
    const prompt: PasswordPrompt = { interactive: () => answers.length > 0, ask: async () => answers.shift() ?? "" };
    const command = createUserCommand(prompt);

    async function run(...args: string[]): Promise<Result> {
      const out: string[] = [];
      const err: string[] = [];
      const io = { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l), env: {}, cwd: dir };
      try {
        return { code: await command.run([...args, "--config", configFile], io), out, err };
      } catch (e) {
        if (e instanceof CliError) return { code: e.exitCode, out, err: [...err, e.message] };
        throw e;
      }
    }

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "skt-cli-user-"));
      const pg = kind === "postgres" ? await createEmptyPgDatabase() : null;
      dropPg = pg?.drop ?? null;
      configFile = join(dir, "skriptoteket.toml");
      writeFileSync(configFile, `[storage]\ndata_dir = "${join(dir, "data")}"\n\n[database]\nurl = "${pg?.url ?? ""}"\n`);
      // The first command migrates; the test then reads the same store directly.
      expect((await run("list")).code).toBe(0);
      store = await openStore({ databaseUrl: pg?.url ?? "", dataDir: join(dir, "data") });
      repos = createIdentityRepositories(store);
    });
    afterAll(async () => {
      await store?.close();
      await dropPg?.();
      rmSync(dir, { recursive: true, force: true });
    });

    test("create with --password: active, verified, audited with actor cli", async () => {
      const r = await run("create", "--email", "Rektor@Skola.se", "--role", "superuser", "--password", "Rektorns-lösenord-1", "--first-name", "Rut", "--last-name", "Rektor");
      expect(r.code).toBe(0);
      expect(r.out[0]).toMatch(/^Created rektor@skola\.se \(superuser\), id /);
      expect(r.out.join("\n")).not.toContain("password:");
      const u = await repos.users.findByEmail("rektor@skola.se");
      expect(u).toMatchObject({ role: "superuser", active: true, emailVerified: true, firstName: "Rut", lastName: "Rektor" });
      expect(await Bun.password.verify("Rektorns-lösenord-1", u!.passwordHash)).toBe(true);
      const [event] = await repos.audit.list({ action: "user.created", targetId: u!.id });
      expect(event).toMatchObject({ actorId: "cli", actorEmail: null, after: { email: "rektor@skola.se", role: "superuser", active: true, email_verified: true } });
    });

    test("create without a password and without a terminal prints a generated one that works", async () => {
      const r = await run("create", "--email", "gen@skola.se", "--role", "user");
      expect(r.code).toBe(0);
      const password = r.out.find((l) => l.startsWith("password: "))?.slice("password: ".length);
      expect(password).toMatch(/^[A-Za-z2-9]{16}$/);
      expect(await Bun.password.verify(password!, (await repos.users.findByEmail("gen@skola.se"))!.passwordHash)).toBe(true);
    });

    test("create on a terminal asks twice; different answers create nothing", async () => {
      answers = ["Terminalens-lösenord-7", "Terminalens-lösenord-8"];
      const differ = await run("create", "--email", "tty@skola.se", "--role", "contributor");
      expect([differ.code, differ.err.at(-1)]).toEqual([1, "The two passwords differ. Nothing was created; run the command again."]);
      expect(await repos.users.findByEmail("tty@skola.se")).toBeNull();
      answers = ["Terminalens-lösenord-7", "Terminalens-lösenord-7"];
      expect((await run("create", "--email", "tty@skola.se", "--role", "contributor")).code).toBe(0);
      expect(await Bun.password.verify("Terminalens-lösenord-7", (await repos.users.findByEmail("tty@skola.se"))!.passwordHash)).toBe(true);
    });

    test.each([
      ["taken e-mail", ["create", "--email", "GEN@skola.se", "--role", "user"], 1, "already exists"],
      ["weak password", ["create", "--email", "weak@skola.se", "--role", "user", "--password", "kort"], 1, "at least 10 characters"],
      ["invalid e-mail", ["create", "--email", "not-an-email", "--role", "user"], 1, "valid e-mail address"],
      ["unknown role", ["create", "--email", "x@skola.se", "--role", "owner"], 2, "--role must be one of user, contributor, admin, superuser"],
      ["missing --email", ["set-role", "--role", "admin"], 2, "--email is required"],
      ["unknown option", ["list", "--colour"], 2, "Unknown option"],
      ["unknown account", ["deactivate", "--email", "ghost@skola.se"], 1, "No account has the e-mail address ghost@skola.se."],
      ["unknown subcommand", ["delete", "--email", "gen@skola.se"], 2, 'Unknown subcommand "delete"'],
    ])("%s", async (_name, args, code, message) => {
      const r = await run(...args);
      expect(r.code).toBe(code);
      expect(r.err.join("\n")).toContain(message);
    });

    test("list prints a table, or JSON lines with --json; --q and --role filter", async () => {
      const table = await run("list");
      expect(table.out[0]).toMatch(/^EMAIL\s+ROLE\s+ACTIVE\s+VERIFIED\s+NAME\s+CREATED$/);
      expect(table.out.some((l) => /^rektor@skola\.se\s+superuser\s+yes\s+yes\s+Rut Rektor\s+\d{4}-\d{2}-\d{2}$/.test(l))).toBe(true);
      expect(table.out.at(-1)).toBe("3 users");
      const json = await run("list", "--json", "--role", "superuser");
      expect(json.out.map((l) => JSON.parse(l) as { email: string })).toEqual([expect.objectContaining({ email: "rektor@skola.se", role: "superuser", email_verified: true })]);
      expect((await run("list", "--q", "tty")).out.at(-1)).toBe("1 user");
    });

    test("set-role changes and audits the role; the same role again is reported, not audited", async () => {
      const r = await run("set-role", "--email", "gen@skola.se", "--role", "admin");
      expect([r.code, r.out[0]]).toEqual([0, "gen@skola.se: role user → admin."]);
      expect((await run("set-role", "--email", "gen@skola.se", "--role", "admin")).out[0]).toBe("gen@skola.se already has role admin.");
      const events = await repos.audit.list({ action: "user.role_changed" });
      expect(events.map((e) => [e.actorId, e.before, e.after])).toEqual([["cli", { role: "user" }, { role: "admin" }]]);
    });

    test("deactivate ends sessions; activate restores; both audited", async () => {
      const u = (await repos.users.findByEmail("tty@skola.se"))!;
      const now = new Date();
      await repos.sessions.create({ tokenHash: "cli-test", userId: u.id, csrfToken: "c", ip: null, userAgent: null, createdAt: now, expiresAt: new Date(now.getTime() + 3_600_000) });
      const off = await run("deactivate", "--email", "tty@skola.se");
      expect([off.code, off.out[0]]).toEqual([0, "tty@skola.se is now deactivated: it cannot log in and its sessions have ended."]);
      expect(await repos.sessions.listActiveForUser(u.id)).toEqual([]);
      expect((await repos.users.getById(u.id))?.active).toBe(false);
      expect((await run("activate", "--email", "tty@skola.se")).out[0]).toBe("tty@skola.se is now active: it can log in.");
      expect((await repos.audit.list({ targetId: u.id })).map((e) => e.action)).toEqual(["user.created", "user.deactivated", "user.activated"]);
    });

    test("reset-password prints a new password once; the old one stops working", async () => {
      const r = await run("reset-password", "--email", "rektor@skola.se");
      const password = r.out.find((l) => l.startsWith("password: "))?.slice("password: ".length);
      const hash = (await repos.users.findByEmail("rektor@skola.se"))!.passwordHash;
      expect(await Bun.password.verify(password!, hash)).toBe(true);
      expect(await Bun.password.verify("Rektorns-lösenord-1", hash)).toBe(false);
      const [event] = await repos.audit.list({ action: "user.password_reset" });
      expect(event).toMatchObject({ actorId: "cli", after: { sessions_revoked: 0 } });
      expect(JSON.stringify(event)).not.toContain(password!);
    });

    test("--help describes every subcommand", async () => {
      const r = await run("--help");
      expect(r.code).toBe(0);
      for (const sub of ["create", "list", "set-role", "deactivate", "activate", "reset-password"]) expect(r.out.join("\n")).toContain(sub);
    });
  });
}
