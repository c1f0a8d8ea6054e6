// The admin's audit log: filtered pages, one event with before/after, the filter choices and a
// streamed CSV export. Read only; nothing here changes the log.
import { Elysia, t } from "elysia";
import type { HttpContextPlugin } from "../http/http-context";
import { defineErrors, HttpErrors } from "../http/errors";
import type { AuditEventRecord } from "./audit.repository";
import type { AuditQueryRepository } from "./audit-query.repository";
import { toAuditQuery, type AuditQueryInput } from "./audit-query.rules";
import { csvFileName, csvHeader, csvRow } from "./audit-csv.rules";
import { AUDIT_ACTIONS } from "./audit.actions";

export const AuditErrors = defineErrors({
  eventNotFound: {
    status: 404,
    code: "audit.event_not_found",
    sv: "Händelsen finns inte (längre). Ladda om listan.",
    en: "The event does not exist (any more). Reload the list.",
  },
});

export type AuditRoutesDeps = { auditQuery: AuditQueryRepository; now: () => Date };

const Filters = {
  from: t.Optional(t.String({ maxLength: 40, description: "YYYY-MM-DD (start of day, UTC) or a date-time" })),
  to: t.Optional(t.String({ maxLength: 40, description: "Inclusive; YYYY-MM-DD means the whole day" })),
  actor: t.Optional(t.String({ maxLength: 200, description: "An actor id exactly, or part of the actor's e-mail" })),
  action: t.Optional(t.String({ maxLength: 100 })),
  target_type: t.Optional(t.String({ maxLength: 50 })),
  q: t.Optional(t.String({ maxLength: 200, description: "Free text over action, e-mail, target id, ip, request id and before/after" })),
};
const ListQuery = t.Object({ ...Filters, page: t.Optional(t.Integer({ minimum: 1, default: 1 })), page_size: t.Optional(t.Integer({ minimum: 1, maximum: 200, default: 50 })) });
const ExportQuery = t.Object(Filters);

const Item = {
  id: t.String(),
  created_at: t.String({ format: "date-time" }),
  actor_id: t.Union([t.String(), t.Null()]),
  actor_email: t.Union([t.String(), t.Null()]),
  action: t.String(),
  target_type: t.Union([t.String(), t.Null()]),
  target_id: t.Union([t.String(), t.Null()]),
  ip: t.Union([t.String(), t.Null()]),
  request_id: t.Union([t.String(), t.Null()]),
};
const ListResponse = t.Object({ items: t.Array(t.Object(Item)), total: t.Integer(), page: t.Integer(), page_size: t.Integer() });
const DetailResponse = t.Object({ event: t.Object({ ...Item, user_agent: t.Union([t.String(), t.Null()]), before: t.Unknown(), after: t.Unknown() }) });
const FacetsResponse = t.Object({ actions: t.Array(t.String()), target_types: t.Array(t.String()) });

function toItem(e: AuditEventRecord) {
  return {
    id: e.id,
    created_at: e.createdAt.toISOString(),
    actor_id: e.actorId,
    actor_email: e.actorEmail,
    action: e.action,
    target_type: e.targetType,
    target_id: e.targetId,
    ip: e.ip,
    request_id: e.requestId,
  };
}

function requireQuery(input: AuditQueryInput) {
  const parsed = toAuditQuery(input);
  if (!parsed.ok) throw HttpErrors.validation(parsed.problems);
  return parsed.query;
}

const tags = ["admin", "audit"];
const DATE_ERRORS = '422 validation.failed for a malformed date (details [{path: "/from" | "/to"}]).';

export function auditRoutes(ctx: HttpContextPlugin, deps: AuditRoutesDeps) {
  return new Elysia({ name: "audit-routes", prefix: "/api/v1/admin" })
    .use(ctx)
    .get(
      "/audit",
      async (c) => {
        const page = c.query.page ?? 1;
        const pageSize = c.query.page_size ?? 50;
        const { items, total } = await deps.auditQuery.search(requireQuery(c.query), { offset: (page - 1) * pageSize, limit: pageSize });
        return { items: items.map(toItem), total, page, page_size: pageSize };
      },
      {
        permission: "admin",
        scope: "admin",
        query: ListQuery,
        response: ListResponse,
        detail: { summary: "Audit events, newest first, filtered and paged", description: DATE_ERRORS, tags },
      },
    )
    .get("/audit/facets", async () => ({ actions: [...AUDIT_ACTIONS].sort(), target_types: await deps.auditQuery.targetTypes() }), {
      permission: "admin",
      scope: "admin",
      response: FacetsResponse,
      detail: { summary: "The choices of the audit filters: every action name and the target types present", tags },
    })
    .get(
      "/audit/:id",
      async (c) => {
        const e = await deps.auditQuery.getById(c.params.id);
        if (!e) throw AuditErrors.eventNotFound();
        return { event: { ...toItem(e), user_agent: e.userAgent, before: e.before, after: e.after } };
      },
      {
        permission: "admin",
        scope: "admin",
        params: t.Object({ id: t.String({ maxLength: 64 }) }),
        response: DetailResponse,
        detail: { summary: "One audit event with its before and after", description: "404 audit.event_not_found.", tags },
      },
    )
    .get(
      "/audit.csv",
      async (c) => {
        const query = requireQuery(c.query);
        const rows = deps.auditQuery.stream(query);
        const encoder = new TextEncoder();
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            // a BOM, so Excel opens the UTF-8 (å, ä, ö) correctly
            controller.enqueue(encoder.encode("\uFEFF" + csvHeader()));
          },
          async pull(controller) {
            const next = await rows.next();
            if (next.done) controller.close();
            else controller.enqueue(encoder.encode(csvRow(next.value)));
          },
          async cancel() {
            await rows.return(undefined);
          },
        });
        return new Response(body, {
          headers: {
            "content-type": "text/csv; charset=utf-8",
            "content-disposition": `attachment; filename="${csvFileName(deps.now())}"`,
            "cache-control": "no-store",
            "x-content-type-options": "nosniff",
          },
        });
      },
      {
        permission: "admin",
        scope: "admin",
        query: ExportQuery,
        detail: { summary: "Every matching audit event as CSV (streamed, newest first; formula-safe cells)", description: DATE_ERRORS, tags },
      },
    );
}
