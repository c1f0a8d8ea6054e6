// Turns every thrown error into the one JSON error shape. Unexpected errors are logged with the
// request id and shown to the user only as "internal" (no stack, no SQL in responses).
import { Elysia } from "elysia";
import { AppError, errorBody, HttpErrors, pickLocale, type Locale } from "./errors";
import { requestIdOf } from "./http-context";
import type { Logger } from "../log/logger";

type ValidationIssue = { path?: string; message?: string; summary?: string };

/** Elysia's validation error lists TypeBox issues; we keep JSON-pointer paths and messages. */
function validationDetails(error: unknown): { path: string; message: string }[] {
  const all = (error as { all?: ValidationIssue[] }).all;
  if (!Array.isArray(all)) return [];
  const seen = new Set<string>();
  const out: { path: string; message: string }[] = [];
  for (const issue of all) {
    const path = issue.path || "/";
    const message = issue.summary ?? issue.message ?? "invalid";
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, message });
  }
  return out;
}

export function errorHandler({ log, defaultLocale }: { log: Logger; defaultLocale: Locale }) {
  return new Elysia({ name: "error-handler" }).onError({ as: "global" }, ({ code, error, request, set }) => {
    const requestId = requestIdOf(request);
    const locale = pickLocale(request.headers.get("accept-language"), defaultLocale);
    let appError: AppError;
    if (error instanceof AppError) appError = error;
    else if (code === "VALIDATION") appError = HttpErrors.validation(validationDetails(error));
    else if (code === "NOT_FOUND") appError = HttpErrors.notFound();
    else if (code === "PARSE") appError = HttpErrors.validation([{ path: "/", message: "The request body is not valid JSON or form data." }]);
    else {
      log.error("unhandled error", { request_id: requestId, method: request.method, url: new URL(request.url).pathname, error });
      appError = HttpErrors.internal();
    }
    set.status = appError.status;
    set.headers["content-type"] = "application/json; charset=utf-8";
    return errorBody(appError, locale, requestId);
  });
}
