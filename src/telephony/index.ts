/** Public face of the telephony folder. */
export type {
  Bridge,
  CallEnd,
  CallLeg,
  CallOutcome,
  HangupReason,
  LegEvents,
  OriginateRequest,
  Playback,
  Recording,
  RecordingResult,
  ServerHealth,
  TalkDetectOptions,
  TalkEvent,
  Telephony,
  TelephonyHealth,
} from './types';
export { AriTelephony } from './ari-telephony';
export type { AriTelephonyOptions } from './ari-telephony';
export { NoTelephony } from './no-telephony';
export { buildDialString } from './dial-string';
export { classifyEnd, CAUSE_TEXT } from './outcome';
