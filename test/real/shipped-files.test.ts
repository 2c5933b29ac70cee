/**
 * dozvon's dialplan/ files, loaded by a real Asterisk as a user installs them (ari.conf with a
 * password, http.conf on a port, res_http_media_cache.conf under its real name, extensions.conf,
 * pjsip.conf with the trunk pointed at the loop, rtp.conf with a range): Asterisk starts without
 * complaining about any of them, and each file's settings are the ones in effect.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { useRealAsterisk } from './setup';
import { realWorld, RealWorld } from './world';
import { CORE_SOUNDS } from './asterisk/config';

/** Lines the harness itself causes, not dozvon's files: it writes an empty musiconhold.conf. */
const HARNESS_WARNINGS = [/res_musiconhold\.c: No music on hold classes configured/];

/** Answers Asterisk's media fetches three ways: a WAV, a redirect, and never. */
class MediaProbe {
  readonly requests: { path: string; userAgent: string | undefined }[] = [];
  readonly hangClosed: Promise<number>;
  private server: http.Server;
  private hangClosedAt!: (at: number) => void;

  private constructor() {
    this.hangClosed = new Promise((resolve) => (this.hangClosedAt = resolve));
    const wav = readFileSync(path.join(CORE_SOUNDS.en, 'hello-world.wav'));
    this.server = http.createServer((req, res) => {
      this.requests.push({ path: req.url ?? '', userAgent: req.headers['user-agent'] });
      if (req.url?.startsWith('/ok/'))
        return void res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': wav.length }).end(wav);
      if (req.url?.startsWith('/moved/')) return void res.writeHead(302, { location: req.url.replace('/moved/', '/ok/') }).end();
      // /hang/: say nothing, and note when Asterisk gives up.
      req.socket.once('close', () => this.hangClosedAt(Date.now()));
    });
  }

  static async start(): Promise<MediaProbe> {
    const p = new MediaProbe();
    await new Promise<void>((resolve) => p.server.listen(0, '127.0.0.1', () => resolve()));
    return p;
  }

  /** A URL with a long file name (short ones trip Asterisk 22's cache-name buffer). */
  url(kind: 'ok' | 'moved' | 'hang'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${kind}/${kind}-${'x'.repeat(32)}.wav`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('real Asterisk: the shipped dialplan/ files, as a user installs them', function () {
  const asterisk = useRealAsterisk(this);
  let w: RealWorld;
  let probe: MediaProbe;
  /** The log once Asterisk is up and dozvon connected (the probes below add warnings of their own). */
  let startLog: string;

  before(async () => {
    // dozvon connected too: its ARI login goes through the shipped ari.conf and http.conf.
    w = await realWorld(asterisk());
    await w.until(() => w.app.telephony.health().ok, 'dozvon to connect to ARI');
    startLog = asterisk().log();
    probe = await MediaProbe.start();
  });
  after(async () => {
    await w?.close();
    await probe?.close();
  });

  it('Asterisk logs no ERROR and no WARNING about any shipped file, at start or when dozvon connects', () => {
    const log = startLog;
    expect(log).to.include('Asterisk Ready.');
    const errors = log.split('\n').filter((l) => /\bERROR\[/.test(l));
    const warnings = log.split('\n').filter((l) => /\bWARNING\[/.test(l) && !HARNESS_WARNINGS.some((re) => re.test(l)));
    expect(errors, 'ERROR lines').to.deep.equal([]);
    expect(warnings, 'WARNING lines').to.deep.equal([]);
    // A rejected res_http_media_cache.conf is only a NOTICE, and its settings silently become the defaults.
    expect(log).to.not.include('Could not load res_http_media_cache config');
  });

  it('res_http_media_cache is running', async () => {
    expect(await asterisk().cli('module show like res_http_media_cache')).to.match(
      /res_http_media_cache\.so\s+HTTP Media Cache Backend\s+\d+\s+Running/,
    );
  });

  it('res_http_media_cache.conf is in effect: its user agent, no redirects, a 5 s fetch timeout', async () => {
    const ok = await asterisk().cli(`media cache refresh ${probe.url('ok')}`);
    expect(ok).to.include('Refreshed');
    expect(probe.requests.at(-1)).to.deep.equal({ path: new URL(probe.url('ok')).pathname, userAgent: 'asterisk-dozvon' });

    // follow_location = no (the default follows): the redirect fails the fetch, its target is never asked for.
    const asked = probe.requests.length;
    expect(await asterisk().cli(`media cache refresh ${probe.url('moved')}`)).to.include('Unable to refresh');
    expect(probe.requests.slice(asked).map((r) => r.path)).to.deep.equal([new URL(probe.url('moved')).pathname]);
    expect(asterisk().log()).to.match(/Failed to retrieve URL '[^']*\/moved\/[^']*': server returned 302/);

    // timeout_secs = 5 (the default is 180 s): a server that never answers is given up on.
    const t0 = Date.now();
    expect(await asterisk().cli(`media cache refresh ${probe.url('hang')}`)).to.include('Unable to refresh');
    const gaveUp = (await probe.hangClosed) - t0;
    expect(gaveUp, 'ms until Asterisk gave up').to.be.within(4500, 7000);
  });

  it("ARI answers dozvon's module check as the fake does: func_talkdetect Running, a module it lacks 404", async () => {
    const get = (m: string) => fetch(`${asterisk().ariUrl}/ari/asterisk/modules/${m}`, { headers: asterisk().auth() });
    const talk = await get('func_talkdetect.so');
    expect(talk.status).to.equal(200);
    expect(await talk.json()).to.include({ name: 'func_talkdetect.so', status: 'Running' });
    const none = await get('no_such_module.so');
    expect(none.status).to.equal(404);
    expect(await none.json()).to.deep.equal({ message: 'Module could not be found in running modules' });
  });

  it('http.conf, ari.conf, rtp.conf, pjsip.conf and extensions.conf are in effect', async () => {
    const a = asterisk();
    expect(await a.cli('http show status'))
      .to.include(`Server Enabled and Bound to 127.0.0.1:${a.layout.httpPort}`)
      .and.include('/ari/... => Asterisk RESTful API');
    expect(await a.cli('ari show users')).to.match(/No\s+No\s+dozvon/);
    expect(await a.cli('rtp show settings')).to.match(new RegExp(`Port start:\\s+${a.layout.rtpStart}\\b`));
    const trunk = await a.cli('pjsip show endpoint trunk');
    expect(trunk)
      .to.match(/context\s+:\s+from-trunk/)
      .and.match(/dtmf_mode\s+:\s+rfc4733/)
      .and.match(/direct_media\s+:\s+false/);
    const fromTrunk = await a.cli('dialplan show from-trunk');
    expect(fromTrunk)
      .to.match(/'\+15550100100' =>\s+1\. Goto\(dozvon-hotline,s,1\)/)
      .and.match(/'15550100100' =>\s+1\. Goto\(dozvon-hotline,s,1\)/);
    expect(await a.cli('dialplan show dozvon-hotline')).to.match(/Stasis\(dozvon,hotline\)/);
  });
});
