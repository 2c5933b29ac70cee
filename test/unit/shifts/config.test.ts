import { expect } from 'chai';
import { shiftsSectionDefaults, shiftsSectionSchema } from '../../../src/watchers/shifts/config';

describe('shifts: YAML section', () => {
  it('is off without the section and on with it, with a minute between looks and no reminder', () => {
    expect(shiftsSectionDefaults()).to.include({ enabled: false, schedules: 'all', every: 60, remind_before: 0 });
    expect(shiftsSectionSchema.parse({})).to.include({ enabled: true, on_call: true, off_call: true, default_timezone: 'UTC' });
  });

  it('reads durations and a list of schedules', () => {
    const c = shiftsSectionSchema.parse({ schedules: ['Primary', 'SBJ4VB2QVXWSL'], remind_before: '15m', every: '1m' });
    expect(c).to.deep.include({ schedules: ['Primary', 'SBJ4VB2QVXWSL'], remind_before: 900, every: 60 });
  });

  it('rejects nonsense with a reason', () => {
    for (const bad of [
      { schedules: 'some' },
      { schedules: [] },
      { remind_before: 'soon' },
      { every: '1s' },
      { default_timezone: 'Mars/Olympus' },
    ]) {
      const r = shiftsSectionSchema.safeParse(bad);
      expect(r.success, JSON.stringify(bad)).to.equal(false);
    }
  });
});
