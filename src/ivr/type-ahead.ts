/**
 * Digits pressed between two prompts. A caller who knows the menu presses 3 and then 1 at
 * once; Asterisk delivers both as ChannelDtmfReceived whether or not anyone is collecting, so
 * the second digit often lands while the first is being acted on and no prompt listens.
 * Without this it was lost, and the caller sat through a list they had already answered.
 * Only a few recent digits are kept: an old keypress must not answer a question asked later.
 */
import type { Clock } from '../core/clock';
import type { CallLeg } from '../telephony';

const MAX_DIGITS = 8;
const MAX_AGE_MS = 10_000;

export class TypeAhead {
  private buffered: Array<{ digit: string; at: number }> = [];
  private listeners = 0;

  constructor(
    private readonly leg: Pick<CallLeg, 'on' | 'off'>,
    private readonly clock: Clock,
  ) {
    leg.on('dtmf', this.onDigit);
  }

  private readonly onDigit = (digit: string): void => {
    if (this.listeners > 0) return; // a prompt is collecting: the digit is its own
    this.buffered.push({ digit, at: this.clock.now() });
    if (this.buffered.length > MAX_DIGITS) this.buffered.shift();
  };

  /** A prompt starts collecting; call the returned function when it stops. */
  hold(): () => void {
    this.listeners++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.listeners--;
    };
  }

  /** The digits pressed ahead (recent ones only), removed from the buffer. */
  take(): string {
    const since = this.clock.now() - MAX_AGE_MS;
    const digits = this.buffered
      .filter((b) => b.at >= since)
      .map((b) => b.digit)
      .join('');
    this.buffered = [];
    return digits;
  }

  /** Digits taken but not needed (the prompt was answered by an earlier one): first in line for the next prompt. */
  unread(digits: string): void {
    const at = this.clock.now();
    this.buffered = [...[...digits].map((digit) => ({ digit, at })), ...this.buffered].slice(-MAX_DIGITS);
  }

  dispose(): void {
    this.leg.off('dtmf', this.onDigit);
    this.buffered = [];
  }
}
