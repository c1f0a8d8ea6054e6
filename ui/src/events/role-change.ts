import type { Role } from "../api/api-types";

/** A new role was picked for a user in an sk-role-select. */
export class RoleChangeEvent extends Event {
  readonly role: Role;

  constructor(role: Role) {
    super("sk-role-change", { bubbles: true, composed: true });
    this.role = role;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    "sk-role-change": RoleChangeEvent;
  }
}
