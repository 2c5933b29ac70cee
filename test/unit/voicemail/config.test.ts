import { expect } from 'chai';
import { sectionsSchema } from '../../../src/config/sections';
import { voicemailSectionSchema } from '../../../src/voicemail/config';

describe('voicemail: config section', () => {
  it('has documented defaults and is read from the YAML sections', () => {
    const parsed = sectionsSchema.parse({ voicemail: { callback_number: '+1 (555) 010-9999', machine_talk_ms: 3000 } });
    expect(parsed.voicemail).to.deep.equal({
      detect: true,
      machine_talk_ms: 3000,
      total_talk_ms: 4000,
      window_ms: 8000,
      silence_ms: 1000,
      end_silence_ms: 300,
      max_greeting_ms: 30_000,
      callback_number: '+1 (555) 010-9999',
    });
  });

  it('refuses what cannot work: a total below one stretch, a callback that is not a number, unknown keys', () => {
    expect(voicemailSectionSchema.safeParse({ machine_talk_ms: 5000, total_talk_ms: 4000 }).success).to.equal(false);
    expect(voicemailSectionSchema.safeParse({ callback_number: 'call Bob' }).success).to.equal(false);
    expect(voicemailSectionSchema.safeParse({ silence_ms: 0 }).success).to.equal(false);
    expect(voicemailSectionSchema.safeParse({ detekt: false }).success).to.equal(false);
  });
});
