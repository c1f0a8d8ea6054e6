// The privacy admin API (superusers): export everything stored about a user as one archive, and
// erase a user. Both are audited; erasure wants the user's e-mail address typed again.
import { PassThrough, Readable } from "node:stream";
import { Elysia } from "elysia";
import type { HttpContextPlugin } from "../http/http-context";
import { userActor } from "../audit/audit.actions";
import { requestMeta, requireAuth } from "../identity/sessions.service";
import { HttpErrors } from "../http/errors";
import { eraseUser, exportUser, type PrivacyDeps } from "./privacy.service";
import { PrivacyErrors } from "./privacy.errors";
import { EraseBody, ErasureResponse, UserIdParams } from "./privacy.schemas";

const tags = ["admin"];

export function privacyRoutes(ctx: HttpContextPlugin, deps: PrivacyDeps) {
  return new Elysia({ name: "privacy-routes", prefix: "/api/v1/admin/users" })
    .use(ctx)
    .get(
      "/:id/export",
      async (c) => {
        const actor = userActor(requireAuth(c.auth).user);
        if (!(await deps.users.getById(c.params.id))) throw HttpErrors.notFound();
        const body = new PassThrough();
        // the archive is streamed as it is written; a failure half-way ends the download early
        const done = exportUser(deps, { actor, userId: c.params.id, out: body, meta: requestMeta(c) });
        done.catch((error: unknown) => {
          deps.log.error("user export failed", { user_id: c.params.id, error });
          body.destroy(error instanceof Error ? error : new Error(String(error)));
        });
        return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, {
          headers: {
            "content-type": "application/gzip",
            "content-disposition": `attachment; filename="skriptoteket-export-${c.params.id}.tar.gz"`,
            "x-content-type-options": "nosniff",
            "cache-control": "no-store",
          },
        });
      },
      {
        permission: "superuser",
        params: UserIdParams,
        detail: { summary: "Everything stored about a user, as a .tar.gz (export.json with every row, and the user's files)", tags },
      },
    )
    .post(
      "/:id/erase",
      async (c) => {
        const actor = userActor(requireAuth(c.auth).user);
        const user = await deps.users.getById(c.params.id);
        if (!user) throw HttpErrors.notFound();
        if (c.body.confirm_email.trim().toLowerCase() !== user.email.toLowerCase()) throw PrivacyErrors.confirmMismatch();
        const r = await eraseUser(deps, { actor, userId: user.id, meta: requestMeta(c) });
        return { user_id: user.id, pseudonym: r.pseudonym, removed: r.removed, unlinked: r.unlinked, pseudonymised: r.pseudonymised, files: r.files, bytes: r.bytes, audit_events_pseudonymised: r.auditEvents, errors: r.errors };
      },
      {
        permission: "superuser",
        params: UserIdParams,
        body: EraseBody,
        response: ErasureResponse,
        detail: { summary: "Erase a user: their data is deleted, the audit log keeps a pseudonym (409 for yourself or the last superuser)", tags },
      },
    );
}
