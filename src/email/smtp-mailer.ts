// The "smtp" provider (nodemailer). Logs who got which subject, never the body: bodies carry
// one-time links, and the log must not be a way into accounts.
import type { Config } from "../config/config.keys";
import type { Logger } from "../log/logger";
import type { Mailer } from "./mailer";

type SmtpSettings = Pick<Config["email"], "from" | "smtp_host" | "smtp_port" | "smtp_security" | "smtp_user" | "smtp_password">;

/** The nodemailer transport options for our three security modes. */
export function smtpTransportOptions(s: SmtpSettings) {
  return {
    host: s.smtp_host,
    port: s.smtp_port,
    // "tls": encrypted from the first byte (port 465). "starttls": plain, then upgraded — and
    // refused if the server does not offer the upgrade. "none": never upgrade (trusted network).
    secure: s.smtp_security === "tls",
    requireTLS: s.smtp_security === "starttls",
    ignoreTLS: s.smtp_security === "none",
    auth: s.smtp_user ? { user: s.smtp_user, pass: s.smtp_password } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
}

/**
 * nodemailer's CommonJS build, through `require`, not `import`: the bundler hoists every node:
 * built-in an ES module imports to the top of the binary, so its ESM build would load node:net, tls,
 * http, https, zlib, dns and child_process at every start (≈20 ms of CPU) even though this module is
 * only loaded with the first e-mail. In the CommonJS build those are `require` calls that run when
 * nodemailer itself runs.
 */
function loadNodemailer(): typeof import("nodemailer") {
  return require("nodemailer") as typeof import("nodemailer");
}

export function createSmtpMailer(settings: SmtpSettings, log: Logger): Mailer {
  const transport = loadNodemailer().createTransport(smtpTransportOptions(settings));
  return {
    async send(msg) {
      const info = await transport.sendMail({ from: settings.from, to: msg.to, subject: msg.subject, text: msg.text, html: msg.html });
      log.info("e-mail sent", { email_to: msg.to, email_subject: msg.subject, message_id: info.messageId });
    },
  };
}
