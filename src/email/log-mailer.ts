// The "log" provider: instead of sending, writes the whole message to the log. Its purpose is to
// try Skriptoteket out without a mail server and to let tests and e2e runs read the links — which
// carry one-time tokens. The example config marks it development-only; production uses "smtp",
// which never logs a body. The fields are named email_* so the logger's secret redaction (keys
// like "token") does not hide the link this provider exists to show.
import type { Logger } from "../log/logger";
import type { Mailer } from "./mailer";

export function createLogMailer(log: Logger): Mailer {
  return {
    async send(msg) {
      log.info("e-mail not sent (provider \"log\"): the message follows", {
        email_to: msg.to,
        email_subject: msg.subject,
        email_body: msg.text,
      });
    },
  };
}
