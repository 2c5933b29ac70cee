/** Shift notices from OnCall schedules: tell people when their shift starts, ends, or is about to start. */
export { ShiftWatcher, type ShiftWatcherOptions, type LookReport } from './watcher';
export { ShiftNoticesRepo, type NoticeKey, type OnCallMembers } from './repo';
export {
  NoticeSender,
  type ShiftPager,
  type ShiftPage,
  type ShiftDirectory,
  type ShiftPerson,
  type Notice,
  type DeliveryResult,
} from './deliver';
export {
  changes,
  stretches,
  stretchAt,
  dueReminders,
  lastEndBetween,
  type NoticeKind,
  type OnCallSets,
  type ShiftChange,
  type Stretch,
} from './model';
export { noticeText, when, type NoticeFacts } from './texts';
export { shiftsSectionSchema, shiftsSections, shiftsSectionDefaults, type ShiftsSection } from './config';
