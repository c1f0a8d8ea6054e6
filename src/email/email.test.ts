import { afterAll, describe, expect, test } from "bun:test";
import { createLogger } from "../log/logger";
import { createMailer } from "./mailer";
import { createLogMailer } from "./log-mailer";
import { createSmtpMailer, smtpTransportOptions } from "./smtp-mailer";
import { renderEmail } from "./templates";
import { headerOf, plainTextOf, startSmtpSink } from "./test-smtp";
import { defaultConfig } from "../config/config.keys";

const LINK = "http://localhost:8080/verify-email?token=Tok_en-123abc";

function capturingLog() {
  const lines: string[] = [];
  return { lines, log: createLogger({ level: "debug", write: (l) => lines.push(l) }) };
}

function smtpSettings(port: number, user = "", password = "") {
  return { ...defaultConfig().email, provider: "smtp" as const, smtp_host: "127.0.0.1", smtp_port: port, smtp_security: "none" as const, smtp_user: user, smtp_password: password, from: "Skriptoteket <no-reply@skola.se>" };
}

describe("templates", () => {
  test.each([
    ["verify_email", "sv", "Bekräfta din e-postadress", "72 timmar"],
    ["verify_email", "en", "Confirm your e-mail address", "72 hours"],
    ["reset_password", "sv", "Välj ett nytt lösenord", "1 timme"],
    ["reset_password", "en", "Choose a new password", "1 hour"],
  ] as const)("%s in %s names the action and the validity", (kind, locale, subject, validity) => {
    const m = renderEmail(kind, { to: "anna@skola.se", locale, link: LINK, validMinutes: kind === "verify_email" ? 72 * 60 : 60, firstName: "Anna" });
    expect(m.to).toBe("anna@skola.se");
    expect(m.subject).toContain(subject);
    expect(m.text).toContain(LINK);
    expect(m.text).toContain(validity);
    expect(m.text).toContain("Anna");
    expect(m.html).toContain(`href="${LINK}"`);
  });

  test("validity that is not whole hours is given in minutes", () => {
    expect(renderEmail("reset_password", { to: "a@b.se", locale: "sv", link: LINK, validMinutes: 90 }).text).toContain("90 minuter");
    expect(renderEmail("reset_password", { to: "a@b.se", locale: "en", link: LINK, validMinutes: 30 }).text).toContain("30 minutes");
  });

  test("html escapes what it interpolates", () => {
    const m = renderEmail("verify_email", { to: "a@b.se", locale: "en", link: "http://x/?a=1&b=<2>", validMinutes: 60, firstName: "<script>" });
    expect(m.html).not.toContain("<script>");
    expect(m.html).toContain("&#38;b=&#60;2&#62;");
  });
});

describe("log mailer", () => {
  test("writes the message with its link to the log (the provider's purpose)", async () => {
    const { lines, log } = capturingLog();
    await createLogMailer(log).send({ to: "a@skola.se", subject: "S", text: `Open ${LINK}` });
    const rec = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(rec).toMatchObject({ level: "info", email_to: "a@skola.se", email_subject: "S" });
    expect(rec.email_body).toContain(LINK);
  });

  test("createMailer picks it for provider log", async () => {
    const { lines, log } = capturingLog();
    await createMailer(defaultConfig().email, log).send({ to: "a@skola.se", subject: "S", text: "T" });
    expect(lines.length).toBe(1);
  });
});

describe("smtp mailer against a real SMTP exchange", () => {
  const sink = startSmtpSink({ credentials: { user: "mailer", pass: "s3cret-pass" } });
  afterAll(() => sink.stop());

  test("delivers text and html with auth; the log holds the recipient but not the body", async () => {
    const { lines, log } = capturingLog();
    const mailer = createMailer(smtpSettings(sink.port, "mailer", "s3cret-pass"), log);
    const msg = renderEmail("reset_password", { to: "bo@skola.se", locale: "sv", link: LINK, validMinutes: 60 });
    await mailer.send(msg);
    const [got] = await sink.waitFor(1);
    expect(got!.from).toBe("no-reply@skola.se");
    expect(got!.to).toEqual(["bo@skola.se"]);
    expect(got!.auth).toEqual({ user: "mailer", pass: "s3cret-pass" });
    expect(headerOf(got!.raw, "to")).toBe("bo@skola.se");
    const text = plainTextOf(got!.raw);
    expect(text).toContain(LINK);
    expect(text).toContain("Öppna länken");
    expect(lines.join("\n")).toContain("bo@skola.se");
    expect(lines.join("\n")).not.toContain("Tok_en-123abc");
    expect(lines.join("\n")).not.toContain("s3cret-pass");
  });

  test("a refused login is an error for the caller", async () => {
    const { log } = capturingLog();
    const mailer = createSmtpMailer(smtpSettings(sink.port, "mailer", "wrong"), log);
    await expect(mailer.send({ to: "x@skola.se", subject: "S", text: "T" })).rejects.toThrow();
  });
});

test("transport options follow smtp_security", () => {
  const base = smtpSettings(25);
  expect(smtpTransportOptions({ ...base, smtp_security: "tls" })).toMatchObject({ secure: true, requireTLS: false, ignoreTLS: false });
  expect(smtpTransportOptions({ ...base, smtp_security: "starttls" })).toMatchObject({ secure: false, requireTLS: true, ignoreTLS: false });
  expect(smtpTransportOptions({ ...base, smtp_security: "none" })).toMatchObject({ secure: false, requireTLS: false, ignoreTLS: true, auth: undefined });
  expect(smtpTransportOptions({ ...base, smtp_user: "u", smtp_password: "p" }).auth).toEqual({ user: "u", pass: "p" });
});
