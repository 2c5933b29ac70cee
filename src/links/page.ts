/** Server-rendered pages of the ack flow: no scripts, no external assets, built through the web kit. */
import { html, unsafeRawHtml, userText, type Html } from '../web/html';

const STYLE = `body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}.detail{white-space:pre-wrap;background:#f4f4f4;padding:.75rem;border-radius:6px}
button{font-size:1.2rem;padding:.8rem 1.6rem;border:0;border-radius:6px;background:#c62828;color:#fff;cursor:pointer}
.ok{color:#2e7d32}.warn{color:#b26a00}.bad{color:#c62828}`;

export function layout(title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${title} · dozvon</title><style>${unsafeRawHtml(STYLE)}</style></head>
<body>${body}</body></html>`;
}

export interface IncidentView {
  title: string;
  text?: string;
}

export function confirmPage(token: string, incident: IncidentView): Html {
  const detail = incident.text ? html`<p class="detail">${userText(incident.text)}</p>` : null;
  return layout(
    'Acknowledge',
    html`<h1>${userText(incident.title)}</h1>${detail}
<form method="post" action="${encodeURIComponent(token)}">
<input type="hidden" name="t" value="${token}">
<button type="submit">Acknowledge</button></form>`,
  );
}

/** `text` may carry OnCall's own reply, so it is isolated like the incident's title. */
export function messagePage(heading: string, cls: 'ok' | 'warn' | 'bad', text?: string, incident?: IncidentView): Html {
  const about = incident ? html`<p>${userText(incident.title)}</p>` : null;
  const more = text ? html`<p>${userText(text)}</p>` : null;
  return layout(heading, html`<h1 class="${cls}">${heading}</h1>${about}${more}`);
}
