/** Real ari-client ↔ fake Asterisk over loopback, fast (timeScale) and quiet. */
import { telephonyOn } from '../../helpers/fake-telephony';
import { AriTelephony, AriTelephonyOptions, buildDialString, CallEnd, CallLeg, TalkDetectOptions } from '../../../src/telephony';
import { FakeAsterisk } from '../../fakes/asterisk';

export interface Harness {
  asterisk: FakeAsterisk;
  tel: AriTelephony;
  dial(number: string, opts?: { timeoutSec?: number; template?: string; talkDetect?: TalkDetectOptions }): Promise<CallLeg>;
  close(): Promise<void>;
}

export async function makeHarness(
  opts: { timeScale?: number; tel?: Partial<AriTelephonyOptions>; asterisk?: FakeAsterisk } = {},
): Promise<Harness> {
  const asterisk = opts.asterisk ?? (await FakeAsterisk.start({ timeScale: opts.timeScale ?? 0.01 }));
  const tel = telephonyOn(asterisk, opts.tel);
  await tel.start();
  return {
    asterisk,
    tel,
    dial: (number, o = {}) =>
      tel.originate({
        endpoint: buildDialString(o.template ?? 'Local/{number}@oncall-test-phones', number),
        callerId: 'OnCall <+15550001111>',
        timeoutSec: o.timeoutSec ?? 30,
        appArgs: ['dialout', number],
        ...(o.talkDetect ? { talkDetect: o.talkDetect } : {}),
      }),
    close: async () => {
      await tel.stop();
      await asterisk.close();
    },
  };
}

export function ended(leg: CallLeg, timeoutMs = 3000): Promise<CallEnd> {
  const done = leg.ended();
  if (done) return Promise.resolve(done);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`leg ${leg.id} did not end within ${timeoutMs} ms`)), timeoutMs);
    leg.on('ended', (e) => {
      clearTimeout(t);
      resolve(e);
    });
  });
}

export function nextDigit(leg: CallLeg, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no DTMF')), timeoutMs);
    const fn = (d: string) => {
      clearTimeout(t);
      leg.off('dtmf', fn);
      resolve(d);
    };
    leg.on('dtmf', fn);
  });
}

export function answered(leg: CallLeg, timeoutMs = 3000): Promise<void> {
  if (leg.isUp()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('not answered')), timeoutMs);
    leg.on('answered', () => {
      clearTimeout(t);
      resolve();
    });
  });
}
