/**
 * The lean REST path for originates and playbacks, against the fake Asterisk's strict REST: the
 * same parameters ari-client would send, errors that ariError() reads as it reads ari-client's,
 * and one kept-alive connection for requests one after another.
 */
import { expect } from 'chai';
import { FakeAsterisk } from '../../fakes/asterisk';
import { AriRest } from '../../../src/telephony/ari-rest';
import { ariError, connectAri, stopClient } from '../../../src/telephony/ari-client';

describe('ARI REST without ari-client', () => {
  let asterisk: FakeAsterisk;
  let rest: AriRest;
  beforeEach(async () => {
    asterisk = await FakeAsterisk.start({ timeScale: 0.01 });
    rest = new AriRest(asterisk.url, asterisk.user, asterisk.password);
  });
  afterEach(async () => {
    rest.close();
    await asterisk.close();
  });

  it('originates with the parameters ari-client sends and answers with the channel', async () => {
    asterisk.phone('+15550001111').willRingOut();
    const ch = (await rest.post('/channels', {
      endpoint: 'PJSIP/+15550001111@trunk',
      app: 'dozvon',
      appArgs: 'a,b',
      callerId: 'dozvon <+15550000000>',
      timeout: 30,
      channelId: 'call-1',
      otherChannelId: 'call-1-2',
      unused: undefined,
    })) as { id: string; name: string };
    expect(ch.id).to.equal('call-1');
    expect(ch.name).to.match(/^PJSIP\/trunk-/);
  });

  it("rejects with the reply's text, which ariError reads as it reads ari-client's", async () => {
    const missing = await rest.post('/channels', { app: 'dozvon' }).catch((e: Error) => e);
    const read = ariError(missing, 'originate');
    expect(read.message).to.equal('originate: Endpoint must be specified');
    expect(read.temporary).to.equal(false);
    const wrong = new AriRest(asterisk.url, asterisk.user, 'not-the-password');
    const denied = await wrong.post('/channels', { endpoint: 'PJSIP/1@trunk', app: 'dozvon' }).catch((e: Error) => e);
    wrong.close();
    expect(ariError(denied, 'originate').message).to.match(/Authentication required/);
  });

  it('plays on a channel by id; a channel that is gone reads as not found (the calls themselves play through it in the e2e suite)', async () => {
    const gone = await rest
      .post('/channels/nope/play/pb-1', { media: ['sound:hello-world', 'sound:goodbye'], lang: 'en' })
      .catch((e: Error) => e);
    const read = ariError(gone, 'play');
    expect(read.code).to.equal('ari-not-found');
    expect(read.temporary).to.equal(false);
  });

  it('sends requests one after another over one kept-alive connection', async () => {
    const before = asterisk.connectionsAccepted;
    for (let i = 0; i < 5; i++) await rest.post('/channels', { app: 'dozvon' }).catch(() => undefined);
    expect(asterisk.connectionsAccepted - before).to.equal(1);
  });

  it('the requests of a dial and an answer (the originate with its variables, the greeting) leave ari-client through the lean path', async () => {
    const posted: [string, unknown][] = [];
    const post = AriRest.prototype.post;
    AriRest.prototype.post = function (this: AriRest, path, query, body) {
      posted.push([path, body]);
      return post.call(this, path, query, body);
    };
    const client = await connectAri(asterisk.url, asterisk.user, asterisk.password, 3000).catch((e: Error) => {
      AriRest.prototype.post = post;
      throw e;
    });
    try {
      await client.start('dozvon');
      asterisk.phone('+15550001111').willRingOut();
      const variables = { 'TALK_DETECT(set)': '1000' };
      await client.channels.originate({ endpoint: 'PJSIP/+15550001111@trunk', app: 'dozvon', channelId: 'c-1', variables });
      await client.channels.playWithId({ channelId: 'gone', playbackId: 'pb-1', media: ['sound:hello-world'] }).catch(() => undefined);
      expect(posted).to.deep.equal([
        ['/channels', { variables }],
        ['/channels/gone/play/pb-1', undefined],
      ]);
      // Asterisk got the variables in a JSON body, and the rest as query parameters.
      const originate = asterisk.requests.find((r) => r.path === '/ari/channels')!;
      expect(originate.body).to.deep.equal({ variables });
      expect(originate.query).to.include({ endpoint: 'PJSIP/+15550001111@trunk', channelId: 'c-1' });
    } finally {
      AriRest.prototype.post = post;
      stopClient(client);
    }
  });
});
