// Outgoing e-mail. Two providers: "log" (writes the message to the log; for trying out and tests)
// and "smtp" (sends through the configured server and logs nothing of the body).
import type { Config } from "../config/config.keys";
import type { Logger } from "../log/logger";
import { createLogMailer } from "./log-mailer";

export type EmailMessage = { to: string; subject: string; text: string; html?: string };

export type Mailer = { send(msg: EmailMessage): Promise<void> };

export function createMailer(email: Config["email"], log: Logger): Mailer {
  if (email.provider !== "smtp") return createLogMailer(log);
  // nodemailer is loaded with the first e-mail, not at start-up (it costs ≈10 ms of every start)
  let smtp: Promise<Mailer> | null = null;
  return {
    async send(message) {
      smtp ??= import("./smtp-mailer").then((m) => m.createSmtpMailer(email, log));
      await (await smtp).send(message);
    },
  };
}
