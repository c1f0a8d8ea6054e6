// Pure privacy rules: the export walk's steps, how values appear in an export, and the audit log's
// pseudonymisation.
import { describe, expect, test } from "bun:test";
import { exportRow, identifiersOf, isSecretColumn, pseudonymColumns, pseudonymFor, pseudonymiseValue, referencingSteps, rewriteAuditEvent, type AuditEventView } from "./privacy.rules";
import type { ForeignKey } from "./store-introspection";

const fk = (table: string, column: string, refTable: string, onDelete: ForeignKey["onDelete"]): ForeignKey => ({ table, column, refTable, refColumn: "id", onDelete });

describe("which rows belong to a user", () => {
  const keys = [fk("runs", "user_id", "users", "cascade"), fk("tool_versions", "created_by", "users", "set null"), fk("jobs", "run_id", "runs", "cascade"), fk("runs", "tool_version_id", "tool_versions", "cascade")];

  test("children of users: owned through cascade, referring through set null", () => {
    expect(referencingSteps(keys, "users", true)).toEqual([
      { table: "runs", column: "user_id", parentColumn: "id", owned: true },
      { table: "tool_versions", column: "created_by", parentColumn: "id", owned: false },
    ]);
  });

  test("below a row that only refers to the user, nothing is owned (other people's runs of her tool version)", () => {
    expect(referencingSteps(keys, "tool_versions", false)).toEqual([{ table: "runs", column: "tool_version_id", parentColumn: "id", owned: false }]);
  });
});

describe("derived tables and pseudonym columns", () => {
  test("the documents' search index is never a step of the walk (its rows repeat the documents')", () => {
    const keys = [fk("document_search", "document_id", "documents", "cascade"), fk("document_pages", "document_id", "documents", "cascade")];
    expect(referencingSteps(keys, "documents", true).map((s) => s.table)).toEqual(["document_pages"]);
  });

  test("a <column>_pseudonym beside a set-null key to users gets the pseudonym; cascading keys and other tables do not", () => {
    const keys = [
      fk("tool_suggestions", "suggested_by", "users", "set null"),
      fk("tool_suggestion_decisions", "decided_by", "users", "set null"),
      fk("api_keys", "user_id", "users", "cascade"),
      fk("notes", "author_id", "tools", "set null"),
    ];
    const columns: Record<string, string[]> = {
      tool_suggestions: ["id", "suggested_by", "suggested_by_pseudonym"],
      tool_suggestion_decisions: ["id", "decided_by"],
      api_keys: ["id", "user_id", "user_id_pseudonym"],
      notes: ["id", "author_id", "author_id_pseudonym"],
    };
    expect(pseudonymColumns(keys, (t) => columns[t] ?? [])).toEqual([{ table: "tool_suggestions", column: "suggested_by", pseudonymColumn: "suggested_by_pseudonym" }]);
  });
});

describe("values in an export", () => {
  test("secret columns: password, token and key hashes, device codes, webhook salts — not content hashes", () => {
    for (const name of ["password_hash", "token_hash", "csrf_token", "secret_hash", "webhook_salt", "device_code_hash"]) expect({ name, secret: isSecretColumn(name) }).toEqual({ name, secret: true });
    for (const name of ["content_hash", "text_hash", "sha256", "user_code", "storage_key", "prefix"]) expect({ name, secret: isSecretColumn(name) }).toEqual({ name, secret: false });
  });

  test("times, JSON text, binary and secrets", () => {
    expect(
      exportRow({
        id: "u1",
        created_at: Date.UTC(2026, 2, 2, 8),
        locked_until: null,
        last_seen_at: "2026-03-02 08:00:00.5+00",
        updated_at: new Date(Date.UTC(2026, 2, 3)),
        inputs: '{"klass":"7B"}',
        note: "[inte json",
        bytes: 12,
        blob: new Uint8Array([1, 2, 3]),
        password_hash: "$argon2id$v=19$…",
        token_hash: "abc",
        csrf_token: null,
        sha256: "f".repeat(64),
      }),
    ).toEqual({
      id: "u1",
      created_at: "2026-03-02T08:00:00.000Z",
      locked_until: null,
      last_seen_at: "2026-03-02T08:00:00.500Z",
      updated_at: "2026-03-03T00:00:00.000Z",
      inputs: { klass: "7B" },
      note: "[inte json",
      bytes: 12,
      blob: { base64: "AQID" },
      password_hash: "[redacted]",
      token_hash: "[redacted]",
      csrf_token: null,
      sha256: "f".repeat(64),
    });
  });
});

describe("pseudonyms", () => {
  test("stable per user, different between users and secrets, not the e-mail address", () => {
    const p = pseudonymFor("s".repeat(32), "user-1");
    expect(p).toMatch(/^erased-user-[0-9a-f]{12}$/);
    expect(pseudonymFor("s".repeat(32), "user-1")).toBe(p);
    expect(pseudonymFor("s".repeat(32), "user-2")).not.toBe(p);
    expect(pseudonymFor("t".repeat(32), "user-1")).not.toBe(p);
  });

  const ids = identifiersOf({ email: "Anna@Skola.se", firstName: "Anna", lastName: "Andersson" });
  const P = "erased-user-000000000000";

  test("identifiers: the address in lower case and names of two letters or more", () => {
    expect(ids).toEqual({ email: "anna@skola.se", names: ["Anna", "Andersson", "Anna Andersson"] });
    expect(identifiersOf({ email: "x@y.se", firstName: "X", lastName: "" }).names).toEqual([]);
  });

  test("the address anywhere (any case, inside text); names only as whole values of name fields", () => {
    const value = {
      email: "ANNA@skola.se",
      note: "skickat till anna@skola.se och anna@skola.se",
      first_name: "anna",
      full_name: " Anna Andersson ",
      school: "Annas skola",
      role: "Anna",
      list: [{ last_name: "Andersson" }],
    };
    expect(pseudonymiseValue(value, ids, P, true)).toEqual({
      email: P,
      note: `skickat till ${P} och ${P}`,
      first_name: P,
      full_name: P,
      school: "Annas skola",
      role: "Anna",
      list: [{ last_name: P }],
    });
    expect(pseudonymiseValue({ first_name: "Anna", email: "anna@skola.se" }, ids, P, false)).toEqual({ first_name: "Anna", email: P });
  });

  const event = (over: Partial<AuditEventView>): AuditEventView => ({ id: "e", actorId: null, actorEmail: null, targetType: null, targetId: null, before: null, after: null, ip: "10.0.0.1", userAgent: "ua", ...over });

  test("her own event: actor address, payload, IP and browser", () => {
    expect(rewriteAuditEvent(event({ actorId: "u1", actorEmail: "anna@skola.se", targetType: "user", targetId: "u1", after: { first_name: "Anna" } }), "u1", ids, P)).toEqual({
      id: "e",
      actorEmail: P,
      before: null,
      after: { first_name: P },
      ip: null,
      userAgent: null,
    });
  });

  test("an anonymous request about her account loses IP and browser; an admin's action keeps the admin's", () => {
    expect(rewriteAuditEvent(event({ targetType: "user", targetId: "u1", after: { email: "anna@skola.se", outcome: "bad_password" } }), "u1", ids, P)).toMatchObject({ after: { email: P, outcome: "bad_password" }, ip: null, userAgent: null });
    expect(rewriteAuditEvent(event({ actorId: "admin", actorEmail: "admin@skola.se", targetType: "user", targetId: "u1", after: { email: "anna@skola.se" } }), "u1", ids, P)).toEqual({
      id: "e",
      actorEmail: "admin@skola.se",
      before: null,
      after: { email: P },
      ip: "10.0.0.1",
      userAgent: "ua",
    });
  });

  test("an event with nothing of hers is left alone", () => {
    expect(rewriteAuditEvent(event({ actorId: "admin", actorEmail: "admin@skola.se", targetType: "user", targetId: "u1", before: { role: "user" }, after: { role: "admin" } }), "u1", ids, P)).toBeNull();
  });
});
