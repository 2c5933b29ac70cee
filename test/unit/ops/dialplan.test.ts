import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseYaml } from '../../../src/core/yaml';
import { loadConfig } from '../../../src/config';
import { SETTINGS } from '../../../src/config/env-schema';
import { readConf, ConfSection, interpolate } from './files';

const ROOT = resolve(__dirname, '../../..');
const DIALPLAN = join(ROOT, 'dialplan');
const def = (name: string) => SETTINGS.find((s) => s.name === name)!.default!;
const sections = (conf: ConfSection[], name: string) => conf.filter((s) => s.name === name);
const one = (s: ConfSection | undefined, key: string) => s?.values[key]?.[0];

describe('dialplan: the Asterisk configuration matches dozvon defaults', () => {
  const ari = readConf(join(DIALPLAN, 'ari.conf'));
  const http = readConf(join(DIALPLAN, 'http.conf'));
  const pjsip = readConf(join(DIALPLAN, 'pjsip.conf'));
  const extText = readFileSync(join(DIALPLAN, 'extensions.conf'), 'utf8');
  const ext = readConf(join(DIALPLAN, 'extensions.conf'));

  it('ari.conf has a writable user named as DOZVON_ARI_USER with a placeholder password', () => {
    expect(one(sections(ari, 'general')[0], 'enabled')).to.equal('yes');
    const user = sections(ari, def('DOZVON_ARI_USER'))[0];
    expect(one(user, 'type')).to.equal('user');
    expect(one(user, 'read_only')).to.equal('no');
    expect(one(user, 'password')).to.match(/^CHANGE_ME/);
  });

  it('http.conf serves ARI on loopback at a port a default DOZVON_ARI_URL can name', () => {
    const g = sections(http, 'general')[0];
    expect(one(g, 'enabled')).to.equal('yes');
    expect(one(g, 'bindaddr')).to.equal('127.0.0.1');
    expect(one(g, 'prefix') ?? '').to.equal('');
    const cfg = loadConfig({ env: { DOZVON_ARI_URL: `http://${one(g, 'bindaddr')}:${one(g, 'bindport')}` } });
    expect(cfg.ari.urls[0]).to.equal('http://127.0.0.1:8088');
  });

  it('the compose copy of http.conf differs only in the bind address, and matches DOZVON_ARI_URL there', () => {
    const docker = sections(readConf(join(ROOT, 'docker/asterisk/http.conf')), 'general')[0];
    const g = sections(http, 'general')[0];
    expect({ ...docker.values, bindaddr: g.values.bindaddr }).to.deep.equal(g.values);
    expect(one(docker, 'bindaddr')).to.equal('0.0.0.0');
    const compose = parseYaml(readFileSync(join(ROOT, 'docker/compose.yaml'), 'utf8'), 'compose') as {
      services: Record<string, { environment: Record<string, string> }>;
    };
    expect(interpolate(compose.services.dozvon.environment.DOZVON_ARI_URL, {})).to.equal(`http://asterisk:${one(docker, 'bindport')}`);
  });

  it('pjsip.conf has the endpoint the default dial template names, and a desk phone', () => {
    const endpoint = /^PJSIP\/\{number\}@(\w+)$/.exec(def('DOZVON_DIAL_TEMPLATE'))![1];
    const types = sections(pjsip, endpoint).map((s) => one(s, 'type'));
    expect(types).to.include.members(['endpoint', 'aor', 'registration']);
    const trunk = sections(pjsip, endpoint).find((s) => one(s, 'type') === 'endpoint')!;
    expect(one(trunk, 'dtmf_mode')).to.equal('rfc4733');
    const trunkCtx = one(trunk, 'context')!;
    expect(sections(ext, trunkCtx), `context ${trunkCtx}`).to.have.length(1);
    const desk = pjsip.filter((s) => one(s, 'type') === 'endpoint' && s.name !== endpoint);
    expect(desk).to.have.length(1);
    expect(sections(ext, one(desk[0], 'context')!)).to.have.length(1);
    // Every auth/aor an endpoint names is defined.
    for (const ep of pjsip.filter((s) => one(s, 'type') === 'endpoint')) {
      for (const key of ['auth', 'outbound_auth', 'aors']) {
        const ref = one(ep, key);
        if (ref)
          expect(
            pjsip.some((s) => s.name === ref && one(s, 'type') === (key === 'aors' ? 'aor' : 'auth')),
            `${ep.name}.${key}=${ref}`,
          ).to.equal(true);
      }
    }
  });

  it('pjsip.conf tells the truth about DOZVON_CALLER_ID: with from_user set it travels in P-Asserted-Identity, not From', () => {
    const trunk = sections(pjsip, 'trunk').find((s) => one(s, 'type') === 'endpoint')!;
    expect(one(trunk, 'from_user')).to.be.a('string');
    expect(one(trunk, 'send_pai')).to.equal('yes');
    const text = readFileSync(join(DIALPLAN, 'pjsip.conf'), 'utf8');
    expect(text).to.not.match(/DOZVON_CALLER_ID\) is sent in From/);
    expect(text).to.match(/From does NOT carry DOZVON_CALLER_ID/);
  });

  it('the hotline context enters Stasis(<DOZVON_ARI_APP>,hotline); the Local variant context exists', () => {
    const hotline = sections(ext, 'dozvon-hotline')[0];
    expect([...hotline.values.exten, ...(hotline.values.same ?? [])].join('\n')).to.include(`Stasis(${def('DOZVON_ARI_APP')},hotline)`);
    expect(sections(ext, 'dozvon-out')).to.have.length(1);
    expect(extText).to.include('Local/{number}@dozvon-out');
    // Every three-argument Goto(context,exten,priority) lands on a context that exists.
    for (const m of extText.replace(/;.*$/gm, '').matchAll(/Goto\(([\w-]+),[^,)]+,[^,)]+\)/g))
      expect(sections(ext, m[1]), m[1]).to.have.length(1);
  });

  it('the RTP range published by compose is the one in rtp.conf', () => {
    const g = sections(readConf(join(DIALPLAN, 'rtp.conf')), 'general')[0];
    const compose = readFileSync(join(ROOT, 'docker/compose.yaml'), 'utf8');
    const range = `${one(g, 'rtpstart')}-${one(g, 'rtpend')}`;
    expect(compose).to.include(`"${range}:${range}/udp"`);
    const transport = sections(readConf(join(DIALPLAN, 'pjsip.conf')), 'transport-udp')[0];
    const sipPort = one(transport, 'bind')!.split(':')[1];
    expect(compose).to.include(`"${sipPort}:${sipPort}/udp"`);
  });
});
