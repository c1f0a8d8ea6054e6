import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const uiRoot = fileURLToPath(new URL(".", import.meta.url));

/**
 * Vite build of the web UI. The output in ui/dist is embedded in the server binary
 * (scripts/gen-assets.ts), so everything it references must be a file in that folder.
 */
export default defineConfig({
  root: uiRoot,
  base: "/",
  // The UI is air-gapped and runs under `connect-src 'self'`: Web Awesome's icon component
  // loads icons with fetch(), which CSP forbids for data: URLs. Emitting every asset as a
  // file (never inlined) keeps icons same-origin.
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
  server: { strictPort: true },
});
