// Outgoing e-mail. Two providers: "log" (writes the message to the log; for trying out and tests)
// and "smtp" (sends through the configured server and logs nothing of the body).
import type { Config } from "../config/config.keys";
import type { Logger } from "../log/logger";
import { createLogMailer } from "./log-mailer";
import { createSmtpMailer } from "./smtp-mailer";

export type EmailMessage = { to: string; subject: string; text: string; html?: string };

export type Mailer = { send(msg: EmailMessage): Promise<void> };

export function createMailer(email: Config["email"], log: Logger): Mailer {
  return email.provider === "smtp" ? createSmtpMailer(email, log) : createLogMailer(log);
}
