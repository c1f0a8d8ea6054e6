// The "smtp" provider (nodemailer). Logs who got which subject, never the body: bodies carry
// one-time links, and the log must not be a way into accounts.
import nodemailer from "nodemailer";
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

export function createSmtpMailer(settings: SmtpSettings, log: Logger): Mailer {
  const transport = nodemailer.createTransport(smtpTransportOptions(settings));
  return {
    async send(msg) {
      const info = await transport.sendMail({ from: settings.from, to: msg.to, subject: msg.subject, text: msg.text, html: msg.html });
      log.info("e-mail sent", { email_to: msg.to, email_subject: msg.subject, message_id: info.messageId });
    },
  };
}
