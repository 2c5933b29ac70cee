/** Server-rendered pages of the confirmation link: no scripts, no external assets, built through the web kit. */
import { html, userText, type Html } from '../web/html';
import { layout, messagePage } from '../links/page';

export { messagePage };

export function codeFormPage(token: string, who: { name: string; phone: string; attemptsLeft: number }, problem?: string): Html {
  const warn = problem ? html`<p class="bad">${problem}</p>` : null;
  return layout(
    'Confirm your number',
    html`<h1>Confirm your phone number</h1>
<p>${userText(who.name)}, type the 6-digit code that was sent to ${userText(who.phone)}.</p>${warn}
<form method="post" action="${encodeURIComponent(token)}">
<input type="hidden" name="t" value="${token}">
<p><input name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required autofocus
 style="font-size:1.6rem;letter-spacing:.3rem;width:9rem;padding:.4rem" aria-label="verification code"></p>
<button type="submit">Confirm</button></form>
<p>${who.attemptsLeft} ${who.attemptsLeft === 1 ? 'try' : 'tries'} left.</p>`,
  );
}
