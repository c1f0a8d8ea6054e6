/** Retention (admins): the configured periods and the report of the last prune (src/ops/retention.routes.ts). */
import { api } from "./api";
import type { RetentionOverview } from "./retention-types";

export type { RetentionItem, RetentionKind, RetentionOverview, RetentionReport } from "./retention-types";

export async function getRetention(): Promise<RetentionOverview> {
  return api.request<RetentionOverview>("GET", "/api/v1/admin/retention");
}
