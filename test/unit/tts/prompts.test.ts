import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseWav } from '../../../src/tts/audio/wav';
import { countMedia, loadCatalogue, PROMPT_IDS, promptMedia, PromptTts } from '../../../src/tts/prompts';

const SOUNDS = path.resolve(__dirname, '../../../sounds');

describe('tts prompts and the none engine', () => {
  const catalogue = loadCatalogue();

  it('has every prompt the code names, in both languages, generated as 8 kHz mono WAV', () => {
    for (const id of PROMPT_IDS) {
      expect(catalogue.prompts[id], id).to.exist;
      for (const lang of ['en', 'ru']) {
        const info = parseWav(readFileSync(path.join(SOUNDS, lang, 'dozvon', `${id}.wav`)));
        expect(info.sampleRate, `${lang}/${id}`).to.equal(8000);
        expect(info.channels).to.equal(1);
        expect(info.samples.length / 8000, `${lang}/${id} length`).to.be.within(0.3, 15);
      }
    }
  });

  it('promptMedia names the Asterisk sound and refuses unknown ids', () => {
    expect(promptMedia('menu', 'ru')).to.equal('sound:dozvon/menu');
    expect(() => promptMedia('nope' as 'menu', 'en')).to.throw(/unknown prompt/);
  });

  it('picks the noun form the count needs', () => {
    expect(countMedia(3, 'open_incident', 'ru')).to.deep.equal(['number:3', 'sound:dozvon/open_incidents_few']);
    expect(countMedia(5, 'alert', 'ru')).to.deep.equal(['number:5', 'sound:dozvon/alerts']);
    expect(countMedia(1, 'incident', 'en')).to.deep.equal(['number:1', 'sound:dozvon/incident']);
    expect(countMedia(2, 'incident', 'en')).to.deep.equal(['number:2', 'sound:dozvon/incidents']);
  });

  it('says an English summary with prompts and number sounds, skipping host digits', async () => {
    const tts = new PromptTts(catalogue);
    const s = await tts.render(
      'You have 2 incidents. First: Incident: High CPU on db-01.prod.example.com. 3 alerts, started 5 minutes ago.',
      'en',
    );
    expect(s.engine).to.equal('none');
    expect(s.media).to.deep.equal([
      'sound:dozvon/you_have',
      'number:2',
      'sound:dozvon/incidents',
      'sound:dozvon/first',
      'sound:dozvon/incident',
      'number:3',
      'sound:dozvon/alerts',
      'sound:dozvon/started',
      'number:5',
      'sound:dozvon/minutes_ago',
    ]);
  });

  it('says a Russian summary', async () => {
    const tts = new PromptTts(catalogue);
    const s = await tts.render('Инцидент: отказ базы на db-01. 3 алерта, начался 5 минут назад.', 'ru');
    expect(s.lang).to.equal('ru');
    expect(s.media).to.deep.equal([
      'sound:dozvon/incident',
      'number:3',
      'sound:dozvon/alerts_few',
      'sound:dozvon/started',
      'number:5',
      'sound:dozvon/minutes_ago',
    ]);
  });

  it('never says nothing', async () => {
    const s = await new PromptTts(catalogue).render('Disk full', 'en');
    expect(s.media).to.deep.equal(['sound:dozvon/incident']);
  });
});
