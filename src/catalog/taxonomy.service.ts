// Managing professions and categories: list (everyone signed in), add, rename, reorder and remove
// (admins). Every change is audited; removing an entry that a tool still uses is refused with the
// tools named.
import type { AuditActor, AuditTarget, TaxonomyEntrySnapshot } from "../audit/audit.actions";
import { recordAudit, type RequestMeta } from "../audit/audit.service";
import { HttpErrors } from "../http/errors";
import type { CatalogDeps } from "./catalog.deps";
import { CatalogErrors, taxonomyInUse } from "./catalog.errors";
import type { TaxonomyEntry } from "./taxonomy.repository";
import { checkNewOrder, newEntryProblems, normalizeLabel, renameProblems, type TaxonomyKind } from "./taxonomy.rules";

type Deps = Pick<CatalogDeps, "taxonomy" | "audit" | "now">;

export type TaxonomyEntryJson = { slug: string; label_sv: string; label_en: string; sort_order: number; tool_count: number };

type Change = { actor: AuditActor; kind: TaxonomyKind; meta?: Partial<RequestMeta> };

function toEntryJson(e: TaxonomyEntry, toolCount: number): TaxonomyEntryJson {
  return { slug: e.slug, label_sv: e.labelSv, label_en: e.labelEn, sort_order: e.sortOrder, tool_count: toolCount };
}

function snapshot(kind: TaxonomyKind, e: TaxonomyEntry): TaxonomyEntrySnapshot {
  return { kind, slug: e.slug, label_sv: e.labelSv, label_en: e.labelEn, sort_order: e.sortOrder };
}

function target(kind: TaxonomyKind, id: string): AuditTarget {
  return kind === "professions" ? { type: "profession", id } : { type: "category", id };
}

function auditMeta(meta: Partial<RequestMeta> | undefined) {
  return { ip: meta?.ip ?? null, userAgent: meta?.userAgent ?? null, requestId: meta?.requestId ?? null };
}

async function requireEntry(deps: Deps, kind: TaxonomyKind, slug: string): Promise<TaxonomyEntry> {
  const entry = await deps.taxonomy.getBySlug(kind, slug);
  if (!entry) throw CatalogErrors.taxonomyNotFound();
  return entry;
}

/** Entries in sort order, each with how many published tools use it. */
export async function listTaxonomy(deps: Pick<CatalogDeps, "taxonomy">, kind: TaxonomyKind): Promise<TaxonomyEntryJson[]> {
  const [entries, counts] = await Promise.all([deps.taxonomy.list(kind), deps.taxonomy.countPublishedTools(kind)]);
  return entries.map((e) => toEntryJson(e, counts.get(e.id) ?? 0));
}

export async function addTaxonomyEntry(deps: Deps, input: Change & { slug: string; labelSv: string; labelEn: string }): Promise<TaxonomyEntryJson> {
  const problems = newEntryProblems({ slug: input.slug, label_sv: input.labelSv, label_en: input.labelEn });
  if (problems.length) throw HttpErrors.validation(problems);
  const entry = await deps.taxonomy.create(input.kind, { slug: input.slug, labelSv: normalizeLabel(input.labelSv), labelEn: normalizeLabel(input.labelEn) });
  if (!entry) throw CatalogErrors.taxonomySlugTaken({ slug: input.slug });
  await recordAudit(deps, {
    actor: input.actor,
    action: "taxonomy.entry_created",
    target: target(input.kind, entry.id),
    before: null,
    after: snapshot(input.kind, entry),
    ...auditMeta(input.meta),
  });
  // A new entry may already be linked: tools that declared its slug before it existed.
  const counts = await deps.taxonomy.countPublishedTools(input.kind);
  return toEntryJson(entry, counts.get(entry.id) ?? 0);
}

/** Changes the labels only; the slug is permanent (tool.json files and saved filters use it). */
export async function renameTaxonomyEntry(deps: Deps, input: Change & { slug: string; labelSv?: string; labelEn?: string }): Promise<TaxonomyEntryJson> {
  const problems = renameProblems({ label_sv: input.labelSv, label_en: input.labelEn });
  if (problems.length) throw HttpErrors.validation(problems);
  const before = await requireEntry(deps, input.kind, input.slug);
  const patch = {
    labelSv: input.labelSv === undefined ? undefined : normalizeLabel(input.labelSv),
    labelEn: input.labelEn === undefined ? undefined : normalizeLabel(input.labelEn),
  };
  const after = await deps.taxonomy.rename(input.kind, before.id, patch);
  if (!after) throw CatalogErrors.taxonomyNotFound();
  if (after.labelSv !== before.labelSv || after.labelEn !== before.labelEn) {
    const labels = (e: TaxonomyEntry) => ({ kind: input.kind, slug: e.slug, label_sv: e.labelSv, label_en: e.labelEn });
    await recordAudit(deps, {
      actor: input.actor,
      action: "taxonomy.entry_renamed",
      target: target(input.kind, after.id),
      before: labels(before),
      after: labels(after),
      ...auditMeta(input.meta),
    });
  }
  const counts = await deps.taxonomy.countPublishedTools(input.kind);
  return toEntryJson(after, counts.get(after.id) ?? 0);
}

/** `slugs` is the complete new order; it must name every current entry exactly once. */
export async function reorderTaxonomy(deps: Deps, input: Change & { slugs: string[] }): Promise<TaxonomyEntryJson[]> {
  const current = await deps.taxonomy.list(input.kind);
  const check = checkNewOrder(
    input.slugs,
    current.map((e) => e.slug),
  );
  if (!check.ok && check.kind === "duplicate") throw HttpErrors.validation(check.slugs.map((s) => ({ path: "/slugs", message: `"${s}" is listed more than once.` })));
  if (!check.ok) throw CatalogErrors.taxonomyOrderMismatch({ slugs: check.slugs });
  const before = current.map((e) => e.slug);
  const changed = before.some((s, i) => s !== input.slugs[i]);
  if (changed) {
    const idBySlug = new Map(current.map((e) => [e.slug, e.id]));
    await deps.taxonomy.reorder(
      input.kind,
      input.slugs.map((s) => idBySlug.get(s)!),
    );
    await recordAudit(deps, {
      actor: input.actor,
      action: "taxonomy.reordered",
      target: null,
      before: { kind: input.kind, slugs: before },
      after: { kind: input.kind, slugs: input.slugs },
      ...auditMeta(input.meta),
    });
  }
  return listTaxonomy(deps, input.kind);
}

/** Refused with 409 taxonomy.in_use (naming the tools) while any tool, published or not, uses it. */
export async function removeTaxonomyEntry(deps: Deps, input: Change & { slug: string }): Promise<void> {
  const entry = await requireEntry(deps, input.kind, input.slug);
  const users = await deps.taxonomy.listToolsUsing(input.kind, entry.id);
  if (users.length) throw taxonomyInUse(input.kind, entry.slug, users);
  const r = await deps.taxonomy.remove(input.kind, entry.id);
  if (!r.ok && r.reason === "not_found") throw CatalogErrors.taxonomyNotFound();
  // A tool was linked between the check and the delete: the foreign key refused; name it now.
  if (!r.ok) throw taxonomyInUse(input.kind, entry.slug, await deps.taxonomy.listToolsUsing(input.kind, entry.id));
  await recordAudit(deps, {
    actor: input.actor,
    action: "taxonomy.entry_removed",
    target: target(input.kind, entry.id),
    before: snapshot(input.kind, entry),
    after: null,
    ...auditMeta(input.meta),
  });
}
