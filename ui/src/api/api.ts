import { currentLocale } from "../i18n/locale";
import type { ApiError } from "./api-error";
import { ApiClient } from "./api-client";

let sessionLostHandler: ((error: ApiError) => void) | null = null;

/** The app's one API client: same origin, current UI language. */
export const api = new ApiClient({
  locale: currentLocale,
  onSessionLost: (error) => sessionLostHandler?.(error),
});

/** The app shell registers what happens when the server says the session is gone. */
export function onSessionLost(handler: (error: ApiError) => void): void {
  sessionLostHandler = handler;
}
