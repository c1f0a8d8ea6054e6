// Webhook delivery: finished runs submitted with a key that has a webhook become durable delivery rows;
// each due row is claimed, POSTed with a signed body, and either marked delivered or rescheduled with
// backoff. Everything lives in the database, so a crash or restart only delays a delivery.
import type { AccessDeps } from "./access.deps";
import type { DeliveryRecord } from "./webhook-deliveries.repository";
import { webhookSecretOf } from "./api-key.rules";
import { isDelivered, nextAttemptAfter, signWebhook } from "./webhook.rules";

export const WEBHOOK_EVENT = "run.finished";
/** A claimed attempt is someone's for this long; a process that died mid-attempt frees it after. */
const CLAIM_LEASE_MS = 60_000;
const SEND_TIMEOUT_MS = 10_000;

export type DeliveryView = {
  id: string;
  run_id: string;
  event: string;
  status: DeliveryRecord["status"];
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  delivered_at: string | null;
};

export function toDeliveryView(d: DeliveryRecord): DeliveryView {
  return {
    id: d.id,
    run_id: d.runId,
    event: d.event,
    status: d.status,
    attempts: d.attempts,
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    next_attempt_at: d.status === "pending" && d.nextAttemptAt ? d.nextAttemptAt.toISOString() : null,
    created_at: d.createdAt.toISOString(),
    delivered_at: d.deliveredAt ? d.deliveredAt.toISOString() : null,
  };
}

/** Turns finished key runs into deliveries (none for keys revoked or without a webhook). */
export async function enqueueFinishedRuns(deps: AccessDeps): Promise<number> {
  let created = 0;
  for (const run of await deps.deliveries.finishedKeyRuns(100)) {
    const now = deps.now();
    if (!run.webhookUrl || run.revokedAt) {
      await deps.deliveries.enqueue(run.runId, now, null);
      continue;
    }
    const id = Bun.randomUUIDv7();
    const body = JSON.stringify({
      event: WEBHOOK_EVENT,
      delivery_id: id,
      run_id: run.runId,
      tool_slug: run.toolSlug,
      status: run.status,
      finished_at: run.finishedAt ? run.finishedAt.toISOString() : null,
    });
    const row: DeliveryRecord = {
      id,
      keyId: run.keyId,
      runId: run.runId,
      event: WEBHOOK_EVENT,
      body,
      status: "pending",
      attempts: 0,
      nextAttemptAt: now,
      lastStatusCode: null,
      lastError: null,
      createdAt: now,
      deliveredAt: null,
    };
    if (await deps.deliveries.enqueue(run.runId, now, row)) created++;
  }
  return created;
}

async function attempt(deps: AccessDeps, d: DeliveryRecord): Promise<void> {
  const key = await deps.keys.getById(d.keyId);
  const attempts = d.attempts + 1;
  if (!key || key.revokedAt || !key.webhookUrl || !key.webhookSalt) {
    await deps.deliveries.finishAttempt(d.id, { status: "failed", nextAttemptAt: null, lastStatusCode: null, lastError: "key revoked or webhook removed", deliveredAt: null });
    return;
  }
  const timestamp = Math.floor(deps.now().getTime() / 1000);
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const res = await deps.fetch(key.webhookUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Skriptoteket-Webhook",
        "x-skriptoteket-event": d.event,
        "x-skriptoteket-delivery": d.id,
        "x-skriptoteket-timestamp": String(timestamp),
        "x-skriptoteket-signature": signWebhook(webhookSecretOf(deps.serverSecret, key.webhookSalt), timestamp, d.body),
      },
      body: d.body,
      redirect: "manual",
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    statusCode = res.status;
    await res.body?.cancel();
    if (!isDelivered(res.status)) error = `HTTP ${res.status}`;
  } catch (e) {
    error = (e instanceof Error ? e.message : String(e)).slice(0, 500);
  }
  const now = deps.now();
  if (error === null) {
    await deps.deliveries.finishAttempt(d.id, { status: "delivered", nextAttemptAt: null, lastStatusCode: statusCode, lastError: null, deliveredAt: now });
    return;
  }
  const next = nextAttemptAfter(attempts, now);
  await deps.deliveries.finishAttempt(d.id, { status: next ? "pending" : "failed", nextAttemptAt: next, lastStatusCode: statusCode, lastError: error, deliveredAt: null });
  deps.log.warn("webhook delivery failed", { delivery_id: d.id, key_id: d.keyId, attempts, error, retry_at: next?.toISOString() ?? null });
}

/** Sends every due delivery once (each claimed first, so parallel processes share the work). */
export async function sendDueDeliveries(deps: AccessDeps): Promise<number> {
  let sent = 0;
  for (const d of await deps.deliveries.due(deps.now(), 20)) {
    if (!(await deps.deliveries.claim(d, new Date(deps.now().getTime() + CLAIM_LEASE_MS)))) continue;
    await attempt(deps, d);
    sent++;
  }
  return sent;
}

export type WebhookWorker = { stop(): Promise<void>; tick(): Promise<void> };

/** Polls every `intervalMs` (serve.ts starts it after the server listens). */
export function startWebhookWorker(deps: AccessDeps, intervalMs = 5_000): WebhookWorker {
  let running: Promise<void> | null = null;
  const tick = async () => {
    if (running) return running;
    running = (async () => {
      try {
        await enqueueFinishedRuns(deps);
        await sendDueDeliveries(deps);
      } catch (error) {
        deps.log.error("webhook worker tick failed", { error });
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const timer = setInterval(() => void tick(), intervalMs);
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
