/** The self-checks (spec §7): ARI, each sender, OnCall, speech, database, heartbeats. */
import type { Db } from '../db/knex';
import type { Telephony } from '../telephony/types';
import type { SenderSet } from '../senders';
import type { OnCallClient } from '../oncall/index';
import type { TtsSystem } from '../tts/index';
import type { HeartbeatService } from '../watchers/heartbeats';
import { Check, checkFrom } from '../watchers/checks/check';
import { heartbeatsCheck } from '../watchers/checks/factories';
import { errorMessage } from '../core/errors';

export function selfCheckList(p: { db: Db; telephony: Telephony; senders: SenderSet; oncall: OnCallClient | null; tts: TtsSystem; heartbeats: HeartbeatService }): Check[] {
  const checks: Check[] = [
    checkFrom('database', async () => {
      await p.db.raw('select 1');
      return { ok: true, detail: 'answers' };
    }),
    checkFrom('telephony', async () => {
      const h = p.telephony.health();
      return { ok: h.ok, detail: h.message };
    }),
    checkFrom('speech', async (signal) => {
      const h = await p.tts.health(signal);
      return { ok: h.ok, detail: h.engines.map((e) => `${e.engine}: ${e.ok ? 'ok' : (e.detail ?? 'failing')}`).join('; ') };
    }),
    heartbeatsCheck(p.heartbeats),
  ];
  if (p.oncall) {
    const client = p.oncall;
    checks.push(
      checkFrom('oncall', async (signal) => {
        try {
          await client.listAlertGroups({ state: 'new' }, { signal, retries: 0 });
          return { ok: true, detail: 'public API answers' };
        } catch (e) {
          return { ok: false, detail: errorMessage(e) };
        }
      }),
    );
  }
  for (const s of p.senders.all()) checks.push(checkFrom(`sender:${s.name}`, (signal) => s.health(signal)));
  return checks;
}
