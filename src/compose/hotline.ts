/** The hotline: the inbound number people call to hear and act on what is going on. */
import type { Config } from '../config';
import type { Telephony } from '../telephony/types';
import type { TtsSystem } from '../tts/index';
import type { DirectPager } from '../dispatch/direct-pager';
import { Hotline, HotlineMessagesRepo, DbPinGuard } from '../hotline';
import { retentionSectionDefaults } from '../retention';
import type { OnCallParts } from './oncall';
import type { Stores } from './stores';
import { TeamsHotlineDirectory } from '../teams/hotline-directory';
import type { Dialer } from '../trunks';

export function buildHotline(d: {
  config: Config;
  stores: Stores;
  telephony: Telephony;
  tts: TtsSystem;
  oncall: OnCallParts;
  pager: DirectPager;
  dialer: Dialer;
}): Hotline {
  const { config, telephony, tts, oncall, pager } = d;
  const { db, clock, logger, users } = d.stores;
  const keepDays = (config.sections.retention ?? retentionSectionDefaults()).hotline_voicemail_days;
  const hotline = new Hotline(
    {
      telephony,
      tts,
      clock,
      logger,
      users,
      pages: d.stores.notifications,
      messages: new HotlineMessagesRepo(db, { keepDays }),
      oncall: oncall.client,
      actions: oncall.actions,
      teams: new TeamsHotlineDirectory(d.stores.teams, d.stores.now),
      dialer: d.dialer,
      // Wrong PINs counted across calls; the admins hear of a lockout as they hear of failed self-checks.
      pins: new DbPinGuard({
        db,
        clock,
        logger: logger.child({ mod: 'hotline-pins' }),
        notifyAdmins: async (text) =>
          void (await pager.page({ emails: config.sections.admins ?? [], text, source: 'hotline', everyTextChannel: true })),
      }),
    },
    {
      section: config.sections.hotline,
      public: config.hotlinePublic,
      lang: config.lang,
      dialTemplate: config.dialTemplate,
      callerId: config.callerId,
      publicUrl: config.publicUrl,
      escalationDefault: config.sections.escalation?.default,
      fqdnRegex: config.fqdnRegex,
    },
  );
  telephony.onInbound((leg, args) => {
    if (args[0] === 'hotline') void hotline.handle(leg, args);
    else void leg.hangup('normal').catch(() => undefined); // nothing else is routed into the app
  });
  return hotline;
}
