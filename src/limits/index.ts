/** Rate limits as data; the dispatch engine asks checkSend before each voice, SMS or push send. */
export { limitsSchema, DEFAULT_LIMITS, LIMIT_CHANNELS, parseDuration } from './rules';
export type { Limits, Rule, LimitChannel, LimitsSectionInput } from './rules';
export { checkSend, evaluateRule, evaluateRules, describeRule } from './evaluate';
export type { Decision, RuleDecision, SendHistory } from './evaluate';
export { voiceHold } from './voice';
export type { VoiceHold, VoiceAttemptRecord, PageToCall } from './voice';
export { textHold, TEXT_GAP_MS, TEXT_BUNDLE_MS } from './text';
export type { TextHold, TextSendRecord } from './text';
