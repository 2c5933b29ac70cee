/** The telephony the call flows use: Asterisk (or none), behind the media resolution of PlayableTelephony. */
import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';
import type { Config } from '../config';
import { AriTelephony, NoTelephony } from '../telephony';
import { SoundsProbe } from '../telephony/sounds-probe';
import type { Telephony } from '../telephony/types';
import { PlayableTelephony } from '../ivr/playable-telephony';
import type { TtsSystem } from '../tts/index';
import type { Metrics } from '../metrics';

export function buildTelephony(p: {
  config: Config;
  clock: Clock;
  logger: Logger;
  tts: TtsSystem;
  override?: Telephony;
  metrics: Pick<Metrics, 'speechPlaybackFailed'>;
}): Telephony {
  const { config, clock, logger } = p;
  const log = logger.child({ mod: 'telephony' });
  const inner =
    p.override ??
    (config.ari.urls.length
      ? new AriTelephony({
          urls: [...config.ari.urls],
          user: config.ari.user,
          password: config.ari.password,
          app: config.ari.app,
          clock,
          log,
        })
      : new NoTelephony());
  const probe = new SoundsProbe({ user: config.ari.user, password: config.ari.password, log, now: () => clock.now() });
  return new PlayableTelephony(inner, {
    fallbackFor: (uri) => p.tts.fallbackFor(uri),
    promptsInstalled: (server, lang) => probe.promptsInstalled(server, lang),
    publicUrl: config.publicUrl,
    now: () => clock.now(),
    onSpeechFailed: (f) => {
      log.warn(
        { legId: f.legId, server: safeHost(f.server) },
        'rendered speech could not be played; the call goes on with recorded prompts',
      );
      p.metrics.speechPlaybackFailed();
    },
    log,
  });
}

function safeHost(u: string): string {
  try {
    return new URL(u).host;
  } catch {
    return 'unknown';
  }
}
