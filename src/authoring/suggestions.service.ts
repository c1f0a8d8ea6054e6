// Tool suggestions: contributors suggest, admins accept (a draft tool owned by the suggester, who
// becomes its maintainer) or deny with a rationale. Every decision is kept; a denied suggestion may
// be accepted later, an accepted one is final.
import { userActor } from "../audit/audit.actions";
import { recordAudit } from "../audit/audit.service";
import { HttpErrors, type Locale } from "../http/errors";
import type { AuthUser } from "../http/http-context";
import { suggestSlug } from "../tools/tools.rules";
import type { AuthoringDeps } from "./authoring.deps";
import { AuthoringErrors } from "./authoring.errors";
import { checkToolFields, createTool, isAdmin, toolDetailOf } from "./authoring.service";
import { loadUserRefs, type ToolDetailView, type UserRef } from "./authoring.views";
import type { DecisionRecord, SuggestionRecord, SuggestionStatus } from "./suggestions.repository";

export type SuggestionView = {
  id: string;
  title: string;
  description: string;
  professions: string[];
  categories: string[];
  status: SuggestionStatus;
  suggested_by: UserRef;
  created_at: string;
  tool_id: string | null;
  decisions: { decision: DecisionRecord["decision"]; rationale: string | null; decided_by: UserRef | null; decided_at: string }[];
};

async function views(deps: AuthoringDeps, rows: SuggestionRecord[]): Promise<SuggestionView[]> {
  const decisions = await deps.suggestions.listDecisions(rows.map((r) => r.id));
  const users = await loadUserRefs(deps, [...rows.map((r) => r.suggestedBy), ...decisions.map((d) => d.decidedBy)]);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    description: r.description,
    professions: r.professions,
    categories: r.categories,
    status: r.status,
    // an erased suggester shows as their pseudonym (src/ops/PRIVACY.md), without id or address
    suggested_by: r.suggestedBy ? (users.get(r.suggestedBy) ?? { id: r.suggestedBy, name: "", email: "" }) : { id: "", name: r.suggestedByPseudonym ?? "", email: "" },
    created_at: r.createdAt.toISOString(),
    tool_id: r.toolId,
    decisions: decisions
      .filter((d) => d.suggestionId === r.id)
      .map((d) => ({ decision: d.decision, rationale: d.rationale, decided_by: d.decidedBy ? (users.get(d.decidedBy) ?? null) : null, decided_at: d.decidedAt.toISOString() })),
  }));
}

async function viewOf(deps: AuthoringDeps, row: SuggestionRecord): Promise<SuggestionView> {
  return (await views(deps, [row]))[0]!;
}

export type NewSuggestionInput = { title: string; description: string; professions?: string[]; categories?: string[] };

export async function createSuggestion(deps: AuthoringDeps, viewer: AuthUser, input: NewSuggestionInput, locale: Locale): Promise<SuggestionView> {
  const fields = { title: input.title.trim(), professions: input.professions ?? [], categories: input.categories ?? [] };
  const description = input.description.trim();
  await checkToolFields(deps, fields, locale);
  if (!description) {
    const message = locale === "sv" ? "Beskriv vad verktyget ska göra." : "Describe what the tool should do.";
    throw HttpErrors.validation([{ path: "/description", message }]);
  }
  const row = await deps.suggestions.create({ suggestedBy: viewer.id, title: fields.title, description, professions: fields.professions, categories: fields.categories, now: deps.now() });
  await recordAudit(deps, {
    actor: userActor(viewer),
    action: "suggestion.created",
    target: { type: "suggestion", id: row.id },
    before: null,
    after: { title: row.title, description: row.description, professions: row.professions, categories: row.categories },
  });
  return viewOf(deps, row);
}

/** Contributors see their own suggestions; admins and superusers see all. */
export async function listSuggestions(deps: AuthoringDeps, viewer: AuthUser, status?: SuggestionStatus): Promise<{ items: SuggestionView[] }> {
  const rows = await deps.suggestions.list({ status, suggestedBy: isAdmin(viewer) ? undefined : viewer.id });
  return { items: await views(deps, rows) };
}

/** Someone else's suggestion answers like a missing one for contributors. */
async function requireSuggestion(deps: AuthoringDeps, viewer: AuthUser, id: string): Promise<SuggestionRecord> {
  const row = await deps.suggestions.get(id);
  if (!row || (!isAdmin(viewer) && row.suggestedBy !== viewer.id)) throw AuthoringErrors.suggestionNotFound();
  return row;
}

export async function getSuggestion(deps: AuthoringDeps, viewer: AuthUser, id: string): Promise<SuggestionView> {
  return viewOf(deps, await requireSuggestion(deps, viewer, id));
}

export async function acceptSuggestion(
  deps: AuthoringDeps,
  viewer: AuthUser,
  id: string,
  input: { slug?: string },
  locale: Locale,
): Promise<{ suggestion: SuggestionView; tool: ToolDetailView }> {
  const row = await requireSuggestion(deps, viewer, id);
  if (row.status === "accepted") throw AuthoringErrors.suggestionDecided();
  const slug = input.slug ?? suggestSlug(row.title);
  await checkToolFields(deps, { slug }, locale);
  // The tool first: if its slug is taken nothing is decided and the admin picks another slug.
  const tool = await createTool(deps, viewer, { slug, title: row.title, summary: row.description.slice(0, 1000), professions: row.professions, categories: row.categories }, locale);
  const decided = await deps.suggestions.decide({ suggestionId: row.id, fromStatus: row.status, decision: "accepted", rationale: null, decidedBy: viewer.id, toolId: tool.id, now: deps.now() });
  if (!decided) {
    // Another admin decided in between; the tool just created stays as an ordinary draft tool.
    throw AuthoringErrors.suggestionDecided({ tool_id: tool.id });
  }
  // an erased suggester has no account left to maintain the tool
  if (row.suggestedBy) await deps.authoring.addMaintainer(tool.id, row.suggestedBy, deps.now());
  await recordAudit(deps, {
    actor: userActor(viewer),
    action: "suggestion.accepted",
    target: { type: "suggestion", id: row.id },
    before: { status: row.status },
    after: { status: "accepted", tool_id: tool.id, slug: tool.slug },
  });
  const after = await deps.suggestions.get(row.id);
  return { suggestion: await viewOf(deps, after ?? row), tool: await toolDetailOf(deps, viewer, tool) };
}

export async function denySuggestion(deps: AuthoringDeps, viewer: AuthUser, id: string, rationale: string, locale: Locale): Promise<SuggestionView> {
  const row = await requireSuggestion(deps, viewer, id);
  const text = rationale.trim();
  if (!text) {
    const message = locale === "sv" ? "Skriv en motivering som förklarar beslutet för den som föreslog verktyget." : "Write a rationale explaining the decision to the person who suggested the tool.";
    throw HttpErrors.validation([{ path: "/rationale", message }]);
  }
  if (row.status !== "pending") throw AuthoringErrors.suggestionDecided();
  const decided = await deps.suggestions.decide({ suggestionId: row.id, fromStatus: "pending", decision: "denied", rationale: text, decidedBy: viewer.id, toolId: null, now: deps.now() });
  if (!decided) throw AuthoringErrors.suggestionDecided();
  await recordAudit(deps, { actor: userActor(viewer), action: "suggestion.denied", target: { type: "suggestion", id: row.id }, before: { status: row.status }, after: { status: "denied", rationale: text } });
  const after = await deps.suggestions.get(row.id);
  return viewOf(deps, after ?? row);
}
