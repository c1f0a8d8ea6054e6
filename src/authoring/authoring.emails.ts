// Notification e-mails of the review flow, in the recipient's language (sv by default): a submission
// goes to every admin and superuser (the reviewers), a publish or a request for changes to the tool's
// maintainers. The person who acted gets none.
import type { Locale } from "../http/errors";
import type { AuthUser } from "../http/http-context";
import type { UserRecord } from "../identity/users.repository";
import type { ToolRecord, ToolVersionRecord } from "../tools/tools.repository";
import type { AuthoringDeps } from "./authoring.deps";
import { displayName } from "./authoring.rules";

export type ReviewNotice = {
  kind: "submitted" | "changes_requested" | "published";
  tool: ToolRecord;
  version: ToolVersionRecord;
  actor: AuthUser;
  /** The submission note, the reviewer's message or the publish note. */
  message: string | null;
};

type Text = { subject: string; body: string };

function text(n: ReviewNotice, locale: Locale, actorName: string, link: string): Text {
  const t = n.tool.title;
  const v = n.version.number;
  const note = n.message ? (locale === "sv" ? `\n\nMeddelande:\n${n.message}\n` : `\n\nMessage:\n${n.message}\n`) : "\n";
  if (locale === "sv") {
    switch (n.kind) {
      case "submitted":
        return { subject: `Granska ”${t}” version ${v}`, body: `${actorName} har skickat version ${v} av ”${t}” för granskning.${note}\nGranska den och publicera eller begär ändringar:\n${link}\n` };
      case "changes_requested":
        return { subject: `Ändringar begärda för ”${t}” version ${v}`, body: `${actorName} har granskat version ${v} av ”${t}” och ber om ändringar.${note}\nÖppna verktyget, gör ändringarna och skicka in igen:\n${link}\n` };
      case "published":
        return { subject: `”${t}” version ${v} är publicerad`, body: `${actorName} har publicerat version ${v} av ”${t}”. Lärarna kör nu den versionen.${note}\n${link}\n` };
    }
  }
  switch (n.kind) {
    case "submitted":
      return { subject: `Review "${t}" version ${v}`, body: `${actorName} submitted version ${v} of "${t}" for review.${note}\nReview it and publish it or request changes:\n${link}\n` };
    case "changes_requested":
      return { subject: `Changes requested for "${t}" version ${v}`, body: `${actorName} reviewed version ${v} of "${t}" and asks for changes.${note}\nOpen the tool, make the changes and submit again:\n${link}\n` };
    case "published":
      return { subject: `"${t}" version ${v} is published`, body: `${actorName} published version ${v} of "${t}". Teachers now run that version.${note}\n${link}\n` };
  }
}

async function recipients(deps: AuthoringDeps, n: ReviewNotice): Promise<UserRecord[]> {
  let users: UserRecord[];
  if (n.kind === "submitted") {
    const [admins, superusers] = await Promise.all([
      deps.users.list({ role: "admin", limit: 500, offset: 0 }),
      deps.users.list({ role: "superuser", limit: 500, offset: 0 }),
    ]);
    users = [...admins.items, ...superusers.items];
  } else {
    const rows = await deps.authoring.listMaintainers(n.tool.id);
    users = (await Promise.all(rows.map((r) => deps.users.getById(r.userId)))).filter((u): u is UserRecord => u !== null);
  }
  return users.filter((u) => u.active && u.id !== n.actor.id);
}

/** Sends the notice to everyone concerned; throws on the first failing send (the caller logs it). */
export async function notifyReview(deps: AuthoringDeps, n: ReviewNotice): Promise<number> {
  const actor = await deps.users.getById(n.actor.id);
  const actorName = actor ? displayName(actor) : n.actor.email;
  const link = `${deps.publicUrl}/authoring/tools/${n.tool.id}`;
  const to = await recipients(deps, n);
  for (const u of to) {
    const { subject, body } = text(n, u.locale ?? "sv", actorName, link);
    await deps.mailer.send({ to: u.email, subject: `Skriptoteket: ${subject}`, text: body });
  }
  return to.length;
}
