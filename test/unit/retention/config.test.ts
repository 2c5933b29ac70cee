import { expect } from 'chai';
import { loadConfig, ConfigError } from '../../../src/config';
import { retentionSectionDefaults, retentionSectionSchema } from '../../../src/retention';

/** Loads a YAML file's text through the real config loader (no file on disk). */
function load(yaml: string) {
  return loadConfig({ env: { DOZVON_CONFIG: '/etc/dozvon.yaml' }, readFile: () => yaml });
}

function loadError(yaml: string): string {
  try {
    load(yaml);
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('config was accepted');
}

describe('retention: YAML section', () => {
  it('defaults when the section is absent: 30 days of voicemail, 90 of notifications and history, hourly', () => {
    expect(load('lang: en\n').sections.retention).to.equal(undefined);
    expect(retentionSectionDefaults()).to.deep.equal({
      hotline_voicemail_days: 30,
      notifications_days: 90,
      heartbeat_events_days: 90,
      shift_notices_days: 90,
      phone_verifications_days: 7,
      audit_log_days: 365,
      alert_requests_days: 7,
      closed_alerts_days: 90,
      sweep_every_minutes: 60,
    });
  });

  it('reads the keys, 0 meaning keep for ever, other keys keeping their defaults', () => {
    const c = load('retention:\n  hotline_voicemail_days: 0\n  notifications_days: 14\n').sections.retention!;
    expect(c).to.include({ hotline_voicemail_days: 0, notifications_days: 14, heartbeat_events_days: 90 });
  });

  it('rejects negative and fractional days and unknown keys, naming the key', () => {
    expect(loadError('retention:\n  notifications_days: -1\n')).to.match(/retention\.notifications_days: must not be negative/);
    expect(loadError('retention:\n  hotline_voicemail_days: 1.5\n')).to.match(
      /retention\.hotline_voicemail_days: must be a whole number of days/,
    );
    expect(loadError('retention:\n  heartbeat_events_days: "ten"\n')).to.match(/retention\.heartbeat_events_days: must be a whole number/);
    expect(loadError('retention:\n  sweep_every_minutes: 0\n')).to.match(/retention\.sweep_every_minutes/);
    expect(loadError('retention:\n  voicemail_days: 3\n')).to.match(/voicemail_days/);
  });

  it('accepts the documented example', () => {
    expect(
      retentionSectionSchema.parse({
        hotline_voicemail_days: 30,
        notifications_days: 90,
        heartbeat_events_days: 90,
        shift_notices_days: 90,
        phone_verifications_days: 7,
        sweep_every_minutes: 60,
      }),
    ).to.be.an('object');
  });
});
