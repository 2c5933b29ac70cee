/** Server-rendered pages of the confirmation link: no scripts, no external assets, every value escaped. */
import { escapeHtml, layout, messagePage } from '../links/page';

export { messagePage };

export function codeFormPage(token: string, who: { name: string; phone: string; attemptsLeft: number }, problem?: string): string {
  const warn = problem ? `<p class="bad">${escapeHtml(problem)}</p>` : '';
  return layout(
    'Confirm your number',
    `<h1>Confirm your phone number</h1>
<p>${escapeHtml(who.name)}, type the 6-digit code that was sent to ${escapeHtml(who.phone)}.</p>${warn}
<form method="post" action="${escapeHtml(encodeURIComponent(token))}">
<input type="hidden" name="t" value="${escapeHtml(token)}">
<p><input name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required autofocus
 style="font-size:1.6rem;letter-spacing:.3rem;width:9rem;padding:.4rem" aria-label="verification code"></p>
<button type="submit">Confirm</button></form>
<p>${who.attemptsLeft} ${who.attemptsLeft === 1 ? 'try' : 'tries'} left.</p>`,
  );
}
