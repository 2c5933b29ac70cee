/**
 * Phone verification: `dozvon users verify <email>`. The composition root builds one PhoneVerifier
 * (with a VerificationCaller when telephony is configured), mounts createVerifyRouter at `/verify`,
 * and calls stop() on shutdown.
 */
export { PhoneVerifier, CODE_TTL_MS, RESEND_AFTER_MS, MAX_ATTEMPTS } from './verifier';
export type { PhoneVerifierDeps, StartResult, LinkView } from './verifier';
export type { ConfirmResult, ConfirmStatus } from './confirm';
export { VerificationCaller } from './call';
export type { CodeCaller, CallRequest, CallVerifyResult, CallVerifyOutcome, VerificationCallOptions, VerificationCallDeps } from './call';
export { createVerifyRouter } from './router';
export type { VerifyRouterDeps } from './router';
export { VerifyLinks } from './links';
export type { VerificationMethod } from './repo';
export type { SmsRoute } from './sms';
