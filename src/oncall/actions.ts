/**
 * What the phone menu's digits do in OnCall (the menu is in docs/oncall.md): acknowledge, resolve, escalate,
 * reassign. Each runs under one 5 s deadline with up to 3 tries on temporary errors, cues
 * "one moment please" once, leaves a resolution note saying who did it, and returns something
 * the caller can be told. With the engineer's own token OnCall credits them; otherwise the
 * service token acts and the note names them.
 */
import { SystemClock, type Clock } from '../core/clock';
import { errorMessage } from '../core/errors';
import { maskEmail, silentLogger, type Logger } from '../core/log';
import type { PageTarget, PagingSections } from './config';
import type { OnCallClient } from './client';
import { OnCallError } from './http-request';
import type { PageStore } from './page-store';
import { already, done, FAILED, noChoice, noteText, NO_TARGET, partial, type ActionChannel, type ActionName } from './phrases';
import { Deadline, SlowCue, withTries, type TryOptions } from './retry';
import { resolveTarget, targetLabel } from './targets';
import type { Lang, Spoken } from './words';

export type { ActionName, ActionChannel };

export interface ActionContext {
  /** The incidents the call was about (digit 1 acknowledges all bundled ones). */
  alertGroupIds: string[];
  actor: { name: string; email?: string; phone?: string | null; oncallToken?: string | null };
  channel: ActionChannel;
}

export interface ActionOptions {
  /** Called at most once, when the first try fails temporarily or takes longer than ~1 s. */
  onSlow?: () => void;
  signal?: AbortSignal;
}

export interface ActionResult {
  status: 'done' | 'already' | 'failed';
  action: ActionName;
  spoken: Spoken;
  /** For logs and the attempt record: per group, what happened. */
  detail: string;
  /** Emails (or "team:<pk>") paged by escalate / reassign. */
  paged?: string[];
}

export interface OnCallActionsOptions {
  client: OnCallClient;
  /** Config.sections: `escalation` and `reassign`. */
  sections: PagingSections;
  /** Pages we create are remembered so the make_call that follows correlates exactly. */
  pages?: PageStore;
  clock?: Clock;
  logger?: Logger;
  nameOf?: (email: string) => Promise<string | null>;
  deadlineMs?: number;
  slowAfterMs?: number;
  maxTries?: number;
}

interface GroupOutcome {
  id: string;
  status: ActionResult['status'];
  detail: string;
  spoken?: Spoken;
  who?: Spoken;
  paged?: string[];
}

type Run = { d: Deadline; cue: SlowCue; o: TryOptions; ctx: ActionContext; token?: string };

export class OnCallActions {
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(private readonly opts: OnCallActionsOptions) {
    this.clock = opts.clock ?? new SystemClock();
    this.log = (opts.logger ?? silentLogger()).child({ mod: 'oncall-actions' });
  }

  acknowledge(ctx: ActionContext, opts: ActionOptions = {}): Promise<ActionResult> {
    return this.run('acknowledge', ctx, opts, (id, r) => this.changeState('acknowledge', id, r));
  }

  resolve(ctx: ActionContext, opts: ActionOptions = {}): Promise<ActionResult> {
    return this.run('resolve', ctx, opts, (id, r) => this.changeState('resolve', id, r));
  }

  /** Pages the escalation target configured for each group's team (else the default target). */
  escalate(ctx: ActionContext, opts: ActionOptions = {}): Promise<ActionResult> {
    return this.run('escalate', ctx, opts, async (id, r) => {
      const { value: group } = await withTries(
        (signal) => this.opts.client.getAlertGroup(id, { token: r.token, signal, retries: 0 }),
        r.d,
        r.o,
        r.cue,
      );
      const esc = this.opts.sections.escalation;
      const target = (group.team_id ? esc?.teams?.[group.team_id] : undefined) ?? esc?.default;
      if (!target) return { id, status: 'failed', detail: `no escalation target for team ${group.team_id ?? 'none'}`, spoken: NO_TARGET };
      return this.pageTarget('escalate', id, target, r);
    });
  }

  /** Pages reassign choice `choice` (1-based, as pressed) on each group. */
  reassign(ctx: ActionContext, choice: number, opts: ActionOptions = {}): Promise<ActionResult> {
    const target = this.opts.sections.reassign?.[choice - 1];
    if (!target)
      return Promise.resolve({ status: 'failed', action: 'reassign', spoken: noChoice(choice), detail: `no reassign choice ${choice}` });
    return this.run('reassign', ctx, opts, (id, r) => this.pageTarget('reassign', id, target, r));
  }

  /** "For Database team, press 1. For Alice, press 2." — null when no reassign list is configured. */
  reassignMenu(lang: Lang): { choices: { digit: string; label: string }[]; text: string } | null {
    return reassignMenu(this.opts.sections.reassign ?? [], lang);
  }

  private async run(
    action: ActionName,
    ctx: ActionContext,
    opts: ActionOptions,
    perGroup: (id: string, r: Run) => Promise<GroupOutcome>,
  ): Promise<ActionResult> {
    const log = this.log.child({ action, actor: maskEmail(ctx.actor.email), groups: ctx.alertGroupIds });
    if (ctx.alertGroupIds.length === 0)
      return { status: 'failed', action, spoken: FAILED, detail: 'no alert group is known for this notification' };
    const o: TryOptions = {
      clock: this.clock,
      deadlineMs: this.opts.deadlineMs ?? 5000,
      maxTries: this.opts.maxTries ?? 3,
      slowAfterMs: this.opts.slowAfterMs ?? 1000,
      onSlow: opts.onSlow,
      signal: opts.signal,
    };
    const cue = new SlowCue(opts.onSlow, (err) => log.warn({ err: errorMessage(err) }, 'onSlow callback threw'));
    const d = new Deadline(o, cue);
    const r: Run = { d, cue, o, ctx, token: ctx.actor.oncallToken ?? undefined };
    try {
      const outcomes = await Promise.all(
        ctx.alertGroupIds.map((id) =>
          perGroup(id, r).catch((err: unknown): GroupOutcome => ({ id, status: 'failed', detail: errorMessage(err) })),
        ),
      );
      const result = aggregate(action, outcomes);
      log.info({ status: result.status, detail: result.detail }, 'action finished');
      return result;
    } finally {
      d.done();
    }
  }

  private async changeState(action: 'acknowledge' | 'resolve', id: string, r: Run): Promise<GroupOutcome> {
    let retried = false;
    const { value: outcome } = await withTries(
      (signal, attempt) => {
        retried = attempt > 1;
        return this.opts.client.act(action, id, { token: r.token, signal, retries: 0 });
      },
      r.d,
      r.o,
      r.cue,
    );
    r.d.answered();
    const wanted = action === 'acknowledge' ? 'acknowledged' : 'resolved';
    // After a try that timed out, "already <wanted>" most likely means our own first try landed.
    if (outcome.status === 'already' && !(retried && outcome.state === wanted)) {
      const by = await this.whoDid(id, outcome.state, r);
      return { id, status: 'already', detail: `already ${outcome.state}${by ? ` by ${by}` : ''}`, spoken: already(outcome.state, by) };
    }
    const noted = await this.note(action, id, r, undefined);
    return { id, status: 'done', detail: `${action}d${noted ? '' : ' (resolution note failed)'}` };
  }

  private async pageTarget(action: 'escalate' | 'reassign', id: string, target: PageTarget, r: Run): Promise<GroupOutcome> {
    const client = this.opts.client;
    const { value: resolved } = await withTries(
      (signal) => resolveTarget(target, { client, token: r.token, signal, nameOf: this.opts.nameOf }),
      r.d,
      r.o,
      r.cue,
    );
    try {
      await withTries(
        (signal) =>
          client.page(
            {
              alertGroupId: id,
              users: resolved.users.map((u) => ({ id: u.id, important: resolved.important })),
              team: resolved.teamId,
              importantTeamEscalation: resolved.teamId ? resolved.important : undefined,
            },
            { token: r.token, signal, retries: 0 },
          ),
        r.d,
        r.o,
        r.cue,
      );
    } catch (err) {
      if (err instanceof OnCallError && /resolved alert group/.test(err.detail))
        return { id, status: 'already', detail: 'already resolved', spoken: already('resolved', null) };
      throw err;
    }
    r.d.answered();
    const paged = resolved.teamId ? [`team:${resolved.teamId}`] : resolved.users.map((u) => u.email);
    try {
      for (const u of resolved.users) await this.opts.pages?.remember(u.email, id, this.clock.now());
    } catch (err) {
      // The page went out: failing the action now would make the caller page again. The
      // make_call that follows is then correlated by the lookup instead of exactly.
      this.log.warn({ alertGroupId: id, err: errorMessage(err) }, 'could not remember the page we created');
    }
    const noted = await this.note(action, id, r, resolved.spoken.en);
    return {
      id,
      status: 'done',
      detail: `paged ${paged.map(maskEmail).join(', ')}${noted ? '' : ' (resolution note failed)'}`,
      who: resolved.spoken,
      paged,
    };
  }

  /** Name of whoever put the group in its state, from a fresh read; null if OnCall cannot tell us in time. */
  private async whoDid(id: string, state: string, r: Run): Promise<string | null> {
    try {
      const g = await this.opts.client.getAlertGroup(id, { token: r.token, signal: r.d.signal, retries: 0 });
      const userId = state === 'resolved' ? g.resolved_by : g.acknowledged_by;
      if (!userId) return null;
      const u = await this.opts.client.getUser(userId, { token: r.token, signal: r.d.signal, retries: 0 });
      return (this.opts.nameOf ? await this.opts.nameOf(u.email) : null) ?? u.username;
    } catch (err) {
      this.log.warn({ alertGroupId: id, err: errorMessage(err) }, 'could not read who changed the group');
      return null;
    }
  }

  private async note(action: ActionName, id: string, r: Run, paged: string | undefined): Promise<boolean> {
    const text = noteText(action, r.ctx.actor, r.ctx.channel, { paged, viaService: !r.token });
    try {
      await withTries((signal) => this.opts.client.addResolutionNote(id, text, { token: r.token, signal, retries: 0 }), r.d, r.o, r.cue);
      return true;
    } catch (err) {
      this.log.warn({ alertGroupId: id, err: errorMessage(err) }, 'resolution note failed; the action itself succeeded');
      return false;
    }
  }
}

function aggregate(action: ActionName, outcomes: GroupOutcome[]): ActionResult {
  const detail = outcomes.map((x) => `${x.id}: ${x.detail}`).join('; ');
  const failed = outcomes.filter((x) => x.status === 'failed');
  const ok = outcomes.filter((x) => x.status !== 'failed');
  const paged = outcomes.flatMap((x) => x.paged ?? []);
  const base = { action, detail, ...(paged.length ? { paged } : {}) };
  if (failed.length === outcomes.length) return { ...base, status: 'failed', spoken: failed.find((x) => x.spoken)?.spoken ?? FAILED };
  if (failed.length) return { ...base, status: 'failed', spoken: partial(action, ok.length, outcomes.length) };
  if (ok.every((x) => x.status === 'already')) return { ...base, status: 'already', spoken: ok[0].spoken! };
  const who = ok.find((x) => x.who)?.who;
  return { ...base, status: 'done', spoken: done(action, outcomes.length, who) };
}

export function reassignMenu(targets: PageTarget[], lang: Lang): { choices: { digit: string; label: string }[]; text: string } | null {
  if (targets.length === 0) return null;
  const choices = targets.map((t, i) => ({ digit: String(i + 1), label: targetLabel(t, lang) }));
  const text = choices
    .map((c) =>
      lang === 'ru' ? `${c.label.charAt(0).toUpperCase()}${c.label.slice(1)}: нажмите ${c.digit}.` : `For ${c.label}, press ${c.digit}.`,
    )
    .join(' ');
  return { choices, text };
}
