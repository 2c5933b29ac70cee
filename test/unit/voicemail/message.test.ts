import { expect } from 'chai';
import { voicemailPromptMedia, voicemailText } from '../../../src/voicemail/message';

const page = (title: string | null, host: string | null, message = 'raw message') => ({
  text: 'page text',
  summary: { title, host, message },
});

describe('the voicemail message', () => {
  it('says what broke, the host and the number to call back digit by digit, in English and Russian', () => {
    expect(voicemailText([page('Disk full', 'db-1')], 'en', '+7 (495) 123-45')).to.equal(
      'Hello, this is dozvon, your on-call pager. Incident: Disk full. Host: db-1. Please call back on +7 4 9 5 1 2 3 4 5.',
    );
    expect(voicemailText([page('Диск заполнен', 'db-1')], 'ru', '8 800 1')).to.equal(
      'Здравствуйте, это дозвон, дежурный пейджер. Инцидент: Диск заполнен. Хост: db-1. Перезвоните по номеру 8 8 0 0 1.',
    );
  });

  it('without a number it asks to check the pages; several pages are counted, not read', () => {
    expect(voicemailText([page('CPU', null), page('Disk', null), page('RAM', null)], 'en', null)).to.equal(
      'Hello, this is dozvon, your on-call pager. Incident: CPU. And 2 more. Please check your pages.',
    );
  });

  it('falls back to the message, then the page text, and keeps a long title short', () => {
    expect(voicemailText([page(null, null, 'Something odd')], 'en', null)).to.include('Incident: Something odd.');
    expect(voicemailText([{ text: 'plain page', summary: null }], 'en', null)).to.include('Incident: plain page.');
    const long = voicemailText([page('x'.repeat(300), null)], 'en', null);
    expect(long)
      .to.include(`${'x'.repeat(119)}…`)
      .and.not.include('x'.repeat(120));
  });

  it('without speech, recorded prompts and Asterisk digits carry it', () => {
    expect(voicemailPromptMedia('ru', '+1 555')).to.deep.equal(['sound:dozvon/greeting', 'sound:dozvon/voicemail_left', 'digits:1555']);
    expect(voicemailPromptMedia('en', null)).to.deep.equal(['sound:dozvon/greeting', 'sound:dozvon/voicemail_left']);
  });
});
