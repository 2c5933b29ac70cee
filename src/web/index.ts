/** The web kit: HTML as a type, browser sessions and their revocation, CSRF, origin, the admin-token guard. */
export { html, unsafeRawHtml, userText, joinHtml, fill, Html } from './html';
export type { HtmlValue } from './html';
export { sendHtml } from './send';
export { SessionSigner, SESSION_COOKIE, readCookie, sessionCookie, clearedSessionCookie } from './session';
export { DbSessionRevocations } from './revocations';
export type { SessionRevocations } from './revocations';
export { CsrfTokens } from './csrf';
export { fromOurOrigin, cookiePath } from './origin';
export { AdminTokenGuard, adminAuth, ADMIN_FAILURES, ADMIN_FAILURE_WINDOW_MS } from './admin-token';
export type { TokenCheck } from './admin-token';
