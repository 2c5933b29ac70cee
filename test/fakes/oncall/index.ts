/** Fake Grafana OnCall engine for tests: see server.ts for the full usage notes. */
export { FakeOnCall, type RecordedRequest, type FakeOnCallOptions } from './server';
export {
  FakeOnCallState,
  type FakeUser,
  type FakeTeam,
  type FakeIntegration,
  type FakeSchedule,
  type FakeAlertGroup,
  type FakePage,
} from './state';
