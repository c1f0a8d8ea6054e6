/**
 * The compare page's URL (`/tools/:slug/compare?a=<versionId|working>&b=<versionId>&part=<part>`), so a
 * comparison can be linked to. Pure.
 */

export const COMPARE_PARTS = ["source", "input_schema", "settings_schema", "usage_instructions"] as const;
export type ComparePart = (typeof COMPARE_PARTS)[number];

/** A side: a version id, or the browser's working copy of the signed-in user. */
export type CompareSide = { kind: "working" } | { kind: "version"; id: string } | { kind: "none" };

export interface CompareQuery {
  a: CompareSide;
  b: CompareSide;
  part: ComparePart;
}

function side(value: string | null): CompareSide {
  if (!value) return { kind: "none" };
  return value === "working" ? { kind: "working" } : { kind: "version", id: value };
}

function sideText(value: CompareSide): string | null {
  return value.kind === "working" ? "working" : value.kind === "version" ? value.id : null;
}

export function parseCompareQuery(search: string): CompareQuery {
  const params = new URLSearchParams(search);
  const part = params.get("part");
  return {
    a: side(params.get("a")),
    b: side(params.get("b")),
    part: (COMPARE_PARTS as readonly string[]).includes(part ?? "") ? (part as ComparePart) : "source",
  };
}

export function comparePath(slug: string, query: CompareQuery): string {
  const params = new URLSearchParams();
  const a = sideText(query.a);
  const b = sideText(query.b);
  if (a) params.set("a", a);
  if (b) params.set("b", b);
  if (query.part !== "source") params.set("part", query.part);
  const text = params.toString();
  return `/tools/${encodeURIComponent(slug)}/compare${text ? `?${text}` : ""}`;
}
