/**
 * Parts signed with the link secret, which lives in the database: the ack links and the phone
 * verifier are built at start, after migrations. Routers built earlier read them through `late`.
 */
import type { Config } from '../config';
import type { Telephony } from '../telephony/types';
import type { TtsSystem } from '../tts/index';
import type { SenderSet } from '../senders';
import { KvRepo } from '../db/kv-repo';
import { AckLinks } from '../links';
import { PhoneVerifier, VerificationCaller } from '../verify';
import type { Part } from './lifecycle';
import type { Stores } from './stores';
import { resolveTrunks } from '../trunks';

export interface LateParts {
  links: AckLinks | null;
  verifier: PhoneVerifier | null;
}

export interface LinkDeps {
  config: Config;
  stores: Stores;
  telephony: Telephony;
  tts: TtsSystem;
  senders: SenderSet;
  /** Tests hand in a fake telephony without ARI URLs: verification calls go to it. */
  telephonyOverridden: boolean;
}

/** Two parts: the links before anything can send one, the verifier after telephony (its calls end before telephony stops). */
export function linkParts(d: LinkDeps): { late: LateParts; links: Part; verifier: Part } {
  const { config, telephony, tts, senders } = d;
  const { db, clock, now, logger, users } = d.stores;
  const late: LateParts = { links: null, verifier: null };
  let secret = '';
  return {
    late,
    links: {
      name: 'links',
      async start() {
        secret = config.linkSecret ?? (await new KvRepo(db, now).secret('link-secret'));
        late.links = new AckLinks({ secret, clock, publicUrl: config.publicUrl });
      },
    },
    verifier: {
      name: 'verifier',
      start() {
        late.verifier = new PhoneVerifier({
          db,
          users,
          audit: d.stores.audit,
          clock,
          logger: logger.child({ mod: 'verify' }),
          secret,
          publicUrl: config.publicUrl,
          sms: senders.sms.length ? senders : null,
          caller:
            config.ari.urls.length || d.telephonyOverridden
              ? new VerificationCaller({ telephony, tts, clock }, { dialTemplate: firstTrunk(config), callerId: config.callerId })
              : null,
        });
      },
      stop: () => late.verifier?.stop(),
    },
  };
}

/** Verification calls go out on the first trunk: with `trunks:` in the YAML, DOZVON_DIAL_TEMPLATE may name no endpoint at all. */
function firstTrunk(config: Config): string {
  return resolveTrunks(config.sections.trunks, { dialTemplate: config.dialTemplate })[0].dialTemplate;
}
