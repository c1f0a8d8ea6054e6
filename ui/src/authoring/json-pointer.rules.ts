/**
 * Where a JSON pointer points in a JSON text, so the server's validation problems (`{path:
 * "/input_schema/2/kind", message}`) can be drawn at the right place in the schema editors. The text is
 * parsed by a small position-keeping parser (JSON.parse forgets positions). Pure: no I/O.
 */

export interface TextRange {
  from: number;
  to: number;
}

interface JsonNode {
  from: number;
  to: number;
  /** The key's range when the node is an object member. */
  key?: TextRange;
  children: Map<string, JsonNode> | null;
}

class JsonSyntaxError extends Error {}

/** Parses JSON keeping the range of every value (and of every member's key). null when the text is not JSON. */
function parseWithPositions(text: string): JsonNode | null {
  let pos = 0;
  const fail = (): never => {
    throw new JsonSyntaxError();
  };
  const space = () => {
    while (pos < text.length && " \t\r\n".includes(text[pos]!)) pos++;
  };
  const string = (): TextRange & { value: string } => {
    const from = pos;
    if (text[pos] !== '"') fail();
    pos++;
    let value = "";
    while (pos < text.length && text[pos] !== '"') {
      if (text[pos] === "\\") {
        const escape = text.slice(pos, text[pos + 1] === "u" ? pos + 6 : pos + 2);
        try {
          value += JSON.parse(`"${escape}"`) as string;
        } catch {
          fail();
        }
        pos += escape.length;
      } else value += text[pos++];
    }
    if (text[pos] !== '"') fail();
    pos++;
    return { from, to: pos, value };
  };
  const value = (): JsonNode => {
    space();
    const from = pos;
    const ch = text[pos];
    if (ch === "{") {
      pos++;
      const children = new Map<string, JsonNode>();
      space();
      if (text[pos] === "}") {
        pos++;
        return { from, to: pos, children };
      }
      for (;;) {
        space();
        const key = string();
        space();
        if (text[pos] !== ":") fail();
        pos++;
        const child = value();
        children.set(key.value, { ...child, key: { from: key.from, to: key.to } });
        space();
        if (text[pos] === ",") pos++;
        else if (text[pos] === "}") {
          pos++;
          return { from, to: pos, children };
        } else fail();
      }
    }
    if (ch === "[") {
      pos++;
      const children = new Map<string, JsonNode>();
      space();
      if (text[pos] === "]") {
        pos++;
        return { from, to: pos, children };
      }
      for (let index = 0; ; index++) {
        children.set(String(index), value());
        space();
        if (text[pos] === ",") pos++;
        else if (text[pos] === "]") {
          pos++;
          return { from, to: pos, children };
        } else fail();
      }
    }
    if (ch === '"') {
      const s = string();
      return { from: s.from, to: s.to, children: null };
    }
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(pos, pos + 400));
    if (!literal) fail();
    pos += literal![0].length;
    return { from, to: pos, children: null };
  };
  try {
    const root = value();
    space();
    return pos === text.length ? root : null;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return null;
    throw error;
  }
}

/** "/a/b~1c/0" → ["a", "b/c", "0"] (RFC 6901 escapes). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === "" || pointer === "/") return [];
  return pointer
    .replace(/^\//, "")
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/**
 * The range to mark for `pointer` in `text`: the value it names, or — when the value is missing (a
 * required key left out) — the nearest existing ancestor. For an object member the key is included, so
 * the mark starts where the author looks. null only when the text is not valid JSON.
 */
export function locateJsonPointer(text: string, pointer: string): TextRange | null {
  const root = parseWithPositions(text);
  if (!root) return null;
  let node = root;
  for (const segment of pointerSegments(pointer)) {
    const child = node.children?.get(segment);
    if (!child) break;
    node = child;
  }
  return { from: node.key?.from ?? node.from, to: node.to };
}

export type ContentField = "source" | "entrypoint" | "input_schema" | "settings_schema" | "usage_instructions";

export interface SplitProblem {
  field: ContentField | null;
  /** The pointer inside that field ("" for the field itself). */
  pointer: string;
  message: string;
}

const CONTENT_FIELDS: readonly ContentField[] = ["source", "entrypoint", "input_schema", "settings_schema", "usage_instructions"];

/** Splits "/input_schema/2/kind" into the editor it belongs to and the pointer inside it. */
export function splitProblemPath(path: string, message: string): SplitProblem {
  const [head, ...rest] = pointerSegments(path);
  const field = CONTENT_FIELDS.find((candidate) => candidate === head) ?? null;
  const pointer = rest.map((segment) => `/${segment.replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
  return { field, pointer: field ? pointer : path, message };
}
