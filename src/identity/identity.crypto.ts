// Password hashing and opaque tokens. Bun.password (argon2id) needs no native addon, so the
// compiled binary runs anywhere (stack-notes: @node-rs/argon2 needs an exec-capable $TMPDIR).
import { createHash } from "node:crypto";

// OWASP's argon2id minimum (19 MiB, 2 passes): about 30 ms a hash on the reference machine.
const ARGON2 = { algorithm: "argon2id", memoryCost: 19456, timeCost: 2 } as const;

export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, ARGON2);
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  try {
    return await Bun.password.verify(password, hash);
  } catch {
    // A malformed stored hash must read as "wrong password", never as a 500 that reveals it.
    return false;
  }
}

let dummyHash: Promise<string> | null = null;

/**
 * Spends the same time as a real check for an unknown e-mail address, so response times do not
 * tell which addresses have accounts.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(`dummy-${crypto.randomUUID()}`);
  await verifyPassword(password, await dummyHash);
  return false;
}

/** 32 random bytes, base64url: session cookie values, CSRF tokens and e-mailed tokens. */
export function randomToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
}

/** Tokens are stored as their SHA-256 only: a copy of the database does not log anyone in. */
export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
