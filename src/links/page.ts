/** Server-rendered pages of the ack flow: no scripts, no external assets, every value escaped. */

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`=]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}.detail{white-space:pre-wrap;background:#f4f4f4;padding:.75rem;border-radius:6px}
button{font-size:1.2rem;padding:.8rem 1.6rem;border:0;border-radius:6px;background:#c62828;color:#fff;cursor:pointer}
.ok{color:#2e7d32}.warn{color:#b26a00}.bad{color:#c62828}`;

export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} · dozvon</title><style>${STYLE}</style></head>
<body>${body}</body></html>`;
}

export interface IncidentView {
  title: string;
  text?: string;
}

export function confirmPage(token: string, incident: IncidentView): string {
  const detail = incident.text ? `<p class="detail">${escapeHtml(incident.text)}</p>` : '';
  return layout(
    'Acknowledge',
    `<h1>${escapeHtml(incident.title)}</h1>${detail}
<form method="post" action="${escapeHtml(encodeURIComponent(token))}">
<input type="hidden" name="t" value="${escapeHtml(token)}">
<button type="submit">Acknowledge</button></form>`,
  );
}

export function messagePage(heading: string, cls: 'ok' | 'warn' | 'bad', text?: string, incident?: IncidentView): string {
  const about = incident ? `<p>${escapeHtml(incident.title)}</p>` : '';
  const more = text ? `<p>${escapeHtml(text)}</p>` : '';
  return layout(heading, `<h1 class="${cls}">${escapeHtml(heading)}</h1>${about}${more}`);
}
