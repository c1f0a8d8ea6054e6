// The texts of every e-mail, in Swedish and English. Each says why it was sent, what to do, how
// long the link works, and what to do if the reader did not ask for it.
import type { Locale } from "../http/errors";
import type { EmailMessage } from "./mailer";

export type EmailKind = "verify_email" | "reset_password";

export type TemplateInput = {
  to: string;
  locale: Locale;
  /** The full link, with the one-time token. */
  link: string;
  /** How long the link works, in minutes. */
  validMinutes: number;
  firstName?: string;
};

type Text = { subject: string; intro: string; action: string; validity: string; ignore: string };

function duration(minutes: number, locale: Locale): string {
  if (minutes % 60 !== 0) return locale === "sv" ? `${minutes} minuter` : `${minutes} minutes`;
  const hours = minutes / 60;
  if (locale === "sv") return hours === 1 ? "1 timme" : `${hours} timmar`;
  return hours === 1 ? "1 hour" : `${hours} hours`;
}

const TEXTS: Record<EmailKind, Record<Locale, (i: TemplateInput) => Text>> = {
  verify_email: {
    sv: (i) => ({
      subject: "Bekräfta din e-postadress för Skriptoteket",
      intro: `Du (eller någon annan) har skapat ett konto i Skriptoteket med adressen ${i.to}.`,
      action: "Öppna länken för att bekräfta adressen. Sedan kan du logga in:",
      validity: `Länken fungerar i ${duration(i.validMinutes, "sv")} och kan användas en gång. Har den slutat fungera kan du be om en ny på inloggningssidan.`,
      ignore: "Har du inte skapat något konto kan du bortse från meddelandet.",
    }),
    en: (i) => ({
      subject: "Confirm your e-mail address for Skriptoteket",
      intro: `You (or someone else) created a Skriptoteket account with the address ${i.to}.`,
      action: "Open the link to confirm the address. Then you can log in:",
      validity: `The link works for ${duration(i.validMinutes, "en")} and only once. If it has stopped working, ask for a new one on the login page.`,
      ignore: "If you did not create an account, you can ignore this message.",
    }),
  },
  reset_password: {
    sv: (i) => ({
      subject: "Välj ett nytt lösenord för Skriptoteket",
      intro: `Någon bad om ett nytt lösenord för kontot ${i.to} i Skriptoteket.`,
      action: "Öppna länken för att välja ett nytt lösenord:",
      validity: `Länken fungerar i ${duration(i.validMinutes, "sv")} och kan användas en gång. När du har bytt lösenord loggas du ut överallt.`,
      ignore: "Bad du inte om det här kan du bortse från meddelandet; ditt lösenord är oförändrat.",
    }),
    en: (i) => ({
      subject: "Choose a new password for Skriptoteket",
      intro: `Someone asked for a new password for the Skriptoteket account ${i.to}.`,
      action: "Open the link to choose a new password:",
      validity: `The link works for ${duration(i.validMinutes, "en")} and only once. Changing the password logs you out everywhere.`,
      ignore: "If you did not ask for this, you can ignore this message; your password is unchanged.",
    }),
  },
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function greeting(locale: Locale, firstName: string | undefined): string {
  const name = firstName?.trim();
  if (locale === "sv") return name ? `Hej ${name}!` : "Hej!";
  return name ? `Hello ${name},` : "Hello,";
}

export function renderEmail(kind: EmailKind, input: TemplateInput): EmailMessage {
  const t = TEXTS[kind][input.locale](input);
  const hello = greeting(input.locale, input.firstName);
  const text = [hello, "", t.intro, t.action, "", input.link, "", t.validity, t.ignore, "", "Skriptoteket"].join("\n");
  const p = (s: string) => `<p>${escapeHtml(s)}</p>`;
  const html = [
    p(hello),
    p(`${t.intro} ${t.action}`),
    `<p><a href="${escapeHtml(input.link)}">${escapeHtml(input.link)}</a></p>`,
    p(t.validity),
    p(t.ignore),
    p("Skriptoteket"),
  ].join("\n");
  return { to: input.to, subject: t.subject, text, html };
}
