/**
 * Entry of the web UI: styles, the local icon libraries, the Web Awesome components in use, then
 * the app shell (<sk-app> in index.html), which boots the session and routes.
 */
import "./styles/theme.css";
import "./components/web-awesome";
import { registerLocalIcons } from "./icons/icon-library";
import "./components/app-shell/app-shell";

// Runs before any element renders (rendering waits for the microtasks after this module graph has
// evaluated), so no icon is ever resolved through Web Awesome's CDN-bound default libraries.
registerLocalIcons();
