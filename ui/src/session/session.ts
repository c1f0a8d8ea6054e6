import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { Meta, User } from "../api/api-types";

export type SessionStatus = "starting" | "ready" | "failed";

/**
 * Who is logged in and what the site allows, shared by every page. Changes are announced with a
 * "change" event; elements subscribe through SessionController.
 */
export class SessionStore extends EventTarget {
  status: SessionStatus = "starting";
  user: User | null = null;
  meta: Meta | null = null;

  /** Boot finished: the site facts and the current user (null when nobody is logged in). */
  start(meta: Meta, user: User | null): void {
    this.meta = meta;
    this.user = user;
    this.status = "ready";
    this.changed();
  }

  fail(): void {
    this.status = "failed";
    this.changed();
  }

  setUser(user: User | null): void {
    this.user = user;
    this.changed();
  }

  isSuperuser(): boolean {
    return this.user?.role === "superuser";
  }

  private changed(): void {
    this.dispatchEvent(new Event("change"));
  }
}

export const session = new SessionStore();

/** Re-renders its host whenever the session changes (login, logout, profile edits). */
export class SessionController implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private readonly onChange = () => this.host.requestUpdate();

  constructor(host: ReactiveControllerHost) {
    this.host = host;
    host.addController(this);
  }

  get user(): User | null {
    return session.user;
  }

  get meta(): Meta | null {
    return session.meta;
  }

  hostConnected(): void {
    session.addEventListener("change", this.onChange);
  }

  hostDisconnected(): void {
    session.removeEventListener("change", this.onChange);
  }
}

/** The name to greet a user by: first name, else full name parts, else the e-mail address. */
export function displayName(user: Pick<User, "first_name" | "last_name" | "email">): string {
  const full = `${user.first_name} ${user.last_name}`.trim();
  return full || user.email;
}
