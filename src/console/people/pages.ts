/** The people pages that POST routes answer with too (a 400 form, a 409 on the person page). */
import type { Response } from '../../http/express';
import type { User } from '../../directory/user';
import type { ConsoleDeps } from '../deps';
import { ctxOf } from '../context';
import { shell } from '../layout';
import { href, words } from '../ui';
import { TEXTS } from './texts';
import { personBody, recentTests } from './person-page';
import { personForm, type PersonErrors, type PersonValues } from './person-form';
import { doneNotice } from './view';
import { verificationOf, type PersonPageSender } from './verification';
import { sendHtml } from '../../web/send';
import { html, type Html } from '../../web/html';

export interface PeoplePages {
  sendPerson: PersonPageSender;
  /** The add form, or the edit form when `existing` is given. */
  sendForm(res: Response, status: number, values: PersonValues, errors: PersonErrors, existing?: User): void;
}

export function peoplePages(deps: ConsoleDeps): PeoplePages {
  return {
    async sendPerson(req, res, u, status, flash, codeError) {
      const ctx = ctxOf(res);
      const t = words(ctx, TEXTS);
      const body = personBody(ctx, t, deps, u, {
        verification: await verificationOf(deps, u),
        recent: await recentTests(deps, u),
        codeError,
      });
      sendHtml(res, status, shell(ctx, { title: u.name, section: 'people', body, flash: flash || doneNotice(t, req.query) }));
    },

    sendForm(res, status, values, errors, existing) {
      const ctx = ctxOf(res);
      const t = words(ctx, TEXTS);
      const action = existing ? href(ctx, 'people', existing.email, 'edit') : href(ctx, 'people', 'new');
      const cancel = existing ? href(ctx, 'people', existing.email) : href(ctx, 'people');
      const title = existing ? t('edit.title', { name: existing.name }) : t('new.title');
      const intro = existing ? null : html`<p class="muted">${t('new.intro')}</p>`;
      sendHtml(
        res,
        status,
        shell(ctx, { title, section: 'people', body: html`${intro}${personForm(ctx, t, { action, values, errors, existing, cancel })}` }),
      );
    },
  };
}
