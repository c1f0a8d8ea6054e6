/**
 * INTEGRATION POINT with the AI assistant (issue 6): `<sk-assistant-drawer>` from
 * components/assistant-drawer/assistant-drawer.ts. It is loaded only when the server says
 * `ai_enabled: true` in /api/v1/meta, and only if that file exists at build time: `import.meta.glob`
 * yields an empty map when it does not, so the editor builds and works without the assistant.
 */
import type { Meta } from "../../api/api-types";

const drawerModules = import.meta.glob("../../components/assistant-drawer/assistant-drawer.ts");

/** Missing or anything but `true` means off (older servers do not send the field). */
export function aiEnabled(meta: Meta | null): boolean {
  return (meta as (Meta & { ai_enabled?: unknown }) | null)?.ai_enabled === true;
}

/** Defines `<sk-assistant-drawer>`; false when the element is not part of this build. */
export async function loadAssistantDrawer(): Promise<boolean> {
  const load = Object.values(drawerModules)[0];
  if (!load) return false;
  await load();
  return customElements.get("sk-assistant-drawer") !== undefined;
}
