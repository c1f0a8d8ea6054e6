/**
 * Client-side navigation with the History API. Plain `<a href="/...">` links anywhere in the UI
 * (also inside shadow roots) are intercepted, so pages write ordinary links.
 */
type Listener = () => void;

const listeners = new Set<Listener>();

/** Opens a UI path without reloading the page. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, location.href);
  const target = url.pathname + url.search + url.hash;
  if (target === location.pathname + location.search + location.hash && !options.replace) return;
  if (options.replace) history.replaceState(null, "", target);
  else history.pushState(null, "", target);
  notify();
}

/** Calls `listener` after every navigation (links, navigate(), back/forward). Returns an unsubscribe. */
export function onNavigation(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const listener of listeners) listener();
}

let started = false;

/** Installs the click and popstate handling (once; later calls do nothing). */
export function startNavigation(): void {
  if (started) return;
  started = true;
  window.addEventListener("popstate", notify);
  document.addEventListener("click", interceptLinkClick);
}

function interceptLinkClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  // composedPath sees into open shadow roots, where Lit and Web Awesome render their links.
  const anchor = event.composedPath().find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement);
  if (!anchor || !anchor.href || anchor.hasAttribute("download")) return;
  if (anchor.target && anchor.target !== "_self") return;
  const url = new URL(anchor.href);
  if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
  // Same page with only a #fragment: leave it to the browser (or the element's own handler).
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}
