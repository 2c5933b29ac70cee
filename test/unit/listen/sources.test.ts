/** Listen's URI → file mapping: only our files, under our folders, never another host or a path trick. */
import { expect } from 'chai';
import path from 'node:path';
import { resolveMedia, type ListenRoots } from '../../../src/listen';

const roots: ListenRoots = { ttsDir: '/srv/dozvon/tts', soundsRoot: '/opt/dozvon/sounds', publicUrl: 'http://dozvon.test:8080/' };
const FILE = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345.wav';

function filePaths(uri: string, lang = 'en', r: ListenRoots = roots): string[] {
  const res = resolveMedia(uri, lang, r);
  expect(res.kind, `${uri} resolves to a file`).to.equal('file');
  return res.kind === 'file' ? res.candidates.map((c) => c.path) : [];
}

function refusal(uri: string, lang = 'en', r: ListenRoots = roots): string {
  const res = resolveMedia(uri, lang, r);
  expect(res.kind, `${uri} is refused`).to.equal('refused');
  return res.kind === 'refused' ? res.reason : '';
}

describe('listen: media URI → file', () => {
  it('rendered speech over HTTP is the file of the same name in the TTS folder, a signed query or not', () => {
    expect(filePaths(`sound:http://dozvon.test:8080/media/${FILE}`)).to.deep.equal([path.join(roots.ttsDir, FILE)]);
    expect(filePaths(`sound:http://dozvon.test:8080/media/${FILE}?exp=1767225600&sig=abc123`)).to.deep.equal([
      path.join(roots.ttsDir, FILE),
    ]);
    const sln = resolveMedia(`sound:http://dozvon.test:8080/media/${FILE.replace('.wav', '.sln16')}`, 'en', roots);
    expect(sln.kind === 'file' && sln.candidates[0].format).to.equal('sln16');
    expect(sln.what).to.deep.equal({ type: 'speech', role: 'summary' });
  });

  it('a public URL with a path keeps its path; dir delivery (sound:dozvon-tts/<name>) reads the same folder', () => {
    const sub = { ...roots, publicUrl: 'https://ops.example.com/oncall/' };
    expect(filePaths(`sound:https://ops.example.com/oncall/media/${FILE}`, 'en', sub)).to.deep.equal([path.join(roots.ttsDir, FILE)]);
    expect(refusal(`sound:https://ops.example.com/media/${FILE}`, 'en', sub)).to.equal('foreign');
    expect(filePaths(`sound:dozvon-tts/${FILE.replace('.wav', '')}`)).to.deep.equal([
      path.join(roots.ttsDir, FILE),
      path.join(roots.ttsDir, FILE.replace('.wav', '.sln16')),
    ]);
  });

  it('prompts, installed or over HTTP, are sounds/<lang>/dozvon/<id>.<ext>', () => {
    expect(filePaths('sound:dozvon/greeting', 'ru')[0]).to.equal(path.join(roots.soundsRoot, 'ru', 'dozvon', 'greeting.wav'));
    expect(filePaths('sound:dozvon/menu', 'en_GB')[0]).to.equal(path.join(roots.soundsRoot, 'en', 'dozvon', 'menu.wav'));
    expect(filePaths('sound:http://dozvon.test:8080/media/prompts/ru/goodbye.wav', 'ru')[0]).to.equal(
      path.join(roots.soundsRoot, 'ru', 'dozvon', 'goodbye.wav'),
    );
    expect(resolveMedia('sound:dozvon/greeting', 'en', roots).what).to.deep.equal({ type: 'prompt', id: 'greeting' });
  });

  it('refuses other hosts, ports and schemes: nothing is ever fetched', () => {
    expect(refusal(`sound:http://evil.example/media/${FILE}`)).to.equal('foreign');
    expect(refusal(`sound:http://dozvon.test:9999/media/${FILE}`)).to.equal('foreign');
    expect(refusal(`sound:https://dozvon.test:8080/media/${FILE}`)).to.equal('foreign');
    expect(refusal(`sound:http://dozvon.test.evil.example:8080/media/${FILE}`)).to.equal('foreign');
    expect(refusal(`sound:file:///etc/passwd`)).to.equal('foreign');
    expect(refusal('recording:hotline-1')).to.equal('unknown');
    expect(refusal('tone:ring')).to.equal('unknown');
  });

  it('refuses ../ and absolute paths however they are spelled', () => {
    expect(refusal('sound:dozvon/../../../etc/passwd')).to.equal('unsafe');
    expect(refusal('sound:../sounds/en/dozvon/greeting')).to.equal('unsafe');
    expect(refusal('sound:/etc/passwd')).to.equal('unsafe');
    expect(refusal('sound:dozvon-tts/../../etc/passwd')).to.equal('unsafe');
    expect(refusal('sound:http://dozvon.test:8080/media/../../etc/passwd.wav')).to.not.equal('');
    expect(refusal('sound:http://dozvon.test:8080/media/%2e%2e/%2e%2e/etc/passwd')).to.not.equal('');
    expect(refusal('sound:http://dozvon.test:8080/media/prompts/en/..%2F..%2Fetc.wav')).to.equal('unsafe');
    expect(refusal('sound:http://dozvon.test:8080/media/prompts/../../../../etc/passwd.wav')).to.not.equal('');
    expect(refusal(`sound:http://dozvon.test:8080/media/x${FILE}`)).to.equal('unknown');
    // A language that is not a folder of ours, and a prompt we do not have.
    expect(refusal('sound:dozvon/greeting', '../../etc')).to.equal('unknown');
    expect(refusal('sound:dozvon/passwd')).to.equal('unknown');
    expect(refusal('sound:http://dozvon.test:8080/media/prompts/de/greeting.wav')).to.equal('unknown');
  });

  it("Asterisk core sounds are marked as Asterisk's with a plausible length; silence is silence", () => {
    const n = resolveMedia('number:21', 'en', roots);
    expect(n).to.deep.equal({ kind: 'asterisk', what: { type: 'number', value: '21' }, ms: 1200 });
    expect(resolveMedia('number:1005', 'en', roots)).to.include({ kind: 'asterisk', ms: 1800 });
    expect(resolveMedia('digits:1234', 'en', roots)).to.deep.equal({ kind: 'asterisk', what: { type: 'digits', value: '1234' }, ms: 2400 });
    expect(resolveMedia('sound:digits/5', 'en', roots)).to.deep.equal({ kind: 'asterisk', what: { type: 'digit', value: '5' }, ms: 700 });
    expect(resolveMedia('sound:silence/2', 'en', roots)).to.deep.equal({ kind: 'silence', what: { type: 'silence', ms: 2000 }, ms: 2000 });
    expect(resolveMedia('number:abc', 'en', roots).kind).to.equal('refused');
  });
});
