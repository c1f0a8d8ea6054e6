/**
 * Markdown (usage instructions, tool output) → safe HTML: marked parses, DOMPurify sanitizes. What
 * tool authors write never runs in the app's origin: scripts, event handlers, styles, forms and frames
 * are removed; images only from data: URLs (sites are air-gapped and the CSP allows no other origin);
 * links to other sites open in a new tab without a referrer.
 */
import DOMPurify from "dompurify";
import { Marked, type Token } from "marked";

const SAFE_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,/i;

/**
 * Event-handler attributes (onerror=…) removed from raw HTML inside markdown before anything parses
 * it. Not the defence (DOMPurify removes them, and the CSP would block them): Chromium reports a CSP
 * violation merely for parsing such an attribute, even in an inert document, which would fill the
 * console for every tool that writes one.
 */
export function stripEventHandlers(rawHtml: string): string {
  // Only inside tags: text that merely says "online = ok" stays as written.
  return rawHtml.replace(/<[^>]*>/g, (tag) => tag.replace(/([\s"'/])on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]*)/gi, "$1"));
}

let purify: ReturnType<typeof DOMPurify> | null = null;

function sanitizer(): ReturnType<typeof DOMPurify> {
  if (purify) return purify;
  purify = DOMPurify(window);
  purify.addHook("afterSanitizeAttributes", (node) => {
    if (node.tagName === "A") {
      const href = node.getAttribute("href") ?? "";
      if (/^https?:/i.test(href) && new URL(href, location.href).origin !== location.origin) {
        node.setAttribute("target", "_blank");
        node.setAttribute("rel", "noopener noreferrer");
      }
    }
  });
  return purify;
}

/**
 * Markdown as sanitized HTML text. `headingOffset` moves headings down (1: "#" becomes h2) so the
 * page keeps one h1 and a sensible outline wherever the markdown is shown.
 */
export function markdownToHtml(markdown: string, { headingOffset = 2 }: { headingOffset?: number } = {}): string {
  const parser = new Marked({
    gfm: true,
    breaks: true,
    async: false,
    walkTokens(token: Token) {
      if (token.type === "heading") token.depth = Math.min(6, token.depth + headingOffset);
      if (token.type === "html") token.text = stripEventHandlers(token.text);
    },
  });
  const raw = parser.parse(markdown) as string;
  const fragment = sanitizer().sanitize(raw, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ["style", "form", "input", "button", "textarea", "select", "option", "iframe", "frame", "object", "embed", "link", "meta", "base"],
    FORBID_ATTR: ["style", "id", "name", "tabindex", "autofocus"],
    RETURN_DOM_FRAGMENT: true,
  });
  // An image from anywhere but a data: URL would be a request to another site (blocked by the CSP,
  // and a leak where it is not): show its alt text instead.
  for (const img of fragment.querySelectorAll("img")) {
    const src = img.getAttribute("src") ?? "";
    if (!SAFE_IMAGE.test(src)) img.replaceWith(document.createTextNode(img.getAttribute("alt") ?? ""));
  }
  const box = document.createElement("div");
  box.append(fragment);
  return box.innerHTML;
}
