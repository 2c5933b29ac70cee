/** Acknowledge links: signing and the page. The app mounts createAckRouter at `/ack`. */
export { AckLinks, DEFAULT_LINK_TTL_MS } from './token';
export type { AckLinkOptions, LinkClaims, VerifyResult } from './token';
export { createAckRouter } from './router';
export type { AckRouterDeps, AckTarget, AckRequest, AckOutcome } from './router';
