/** OnCall's public API as dozvon uses it: client, message parsing, correlation, summaries, actions. */
export type { OnCallClient, CallOptions, AlertGroupFilter, GroupAction, GroupActionOutcome, PageRequest } from './client';
export { HttpOnCallClient, type HttpOnCallClientOptions } from './http-client';
export { OnCallError } from './http-request';
export * from './types';
export { parseMessage, findAlertGroupLink, stripAlertGroupLinks, type ParsedMessage, type MessageKind } from './parse';
export { parseOnCallWebhook, type OnCallWebhookNotification } from './webhook';
export type { PageStore } from './page-store';
export { Correlator, type CorrelateInput, type CorrelationResult, type CorrelationKind, type CorrelatorOptions } from './correlate';
export { Enricher, findHost, labelsOf, type EnricherOptions } from './enrich';
export { summarize, bundleSentences, factsFromMessage, type Summary, type SummaryFacts } from './summary';
export {
  OnCallActions,
  reassignMenu,
  type ActionContext,
  type ActionOptions,
  type ActionResult,
  type OnCallActionsOptions,
  type ActionName,
  type ActionChannel,
} from './actions';
export type { Lang, Spoken } from './words';
