/**
 * The states of an outbound page call and the only transitions allowed between them.
 * The session logs one line per transition, so a call can be followed in the logs.
 */
export type CallState =
  | 'preparing'
  | 'dialing'
  | 'ringing'
  | 'answered'
  | 'playing'
  | 'awaiting-digit'
  | 'reassign-menu'
  | 'acting'
  | 'telling-result'
  | 'goodbye'
  | 'voicemail'
  | 'leaving-message'
  | 'done';

const NEXT: Record<CallState, readonly CallState[]> = {
  preparing: ['dialing', 'done'],
  dialing: ['ringing', 'answered', 'done'],
  // Not answered: the person's next phone is dialled in the same round.
  ringing: ['answered', 'dialing', 'done'],
  answered: ['playing', 'voicemail', 'done'],
  playing: ['awaiting-digit', 'acting', 'reassign-menu', 'playing', 'goodbye', 'voicemail', 'done'],
  'awaiting-digit': ['playing', 'acting', 'reassign-menu', 'goodbye', 'voicemail', 'done'],
  'reassign-menu': ['acting', 'goodbye', 'done'],
  acting: ['telling-result', 'done'],
  'telling-result': ['goodbye', 'done'],
  goodbye: ['done'],
  voicemail: ['leaving-message', 'playing', 'done'],
  'leaving-message': ['done'],
  done: [],
};

export class CallStateMachine {
  private current: CallState = 'preparing';
  readonly history: CallState[] = ['preparing'];

  constructor(private readonly onChange: (from: CallState, to: CallState) => void) {}

  get state(): CallState {
    return this.current;
  }

  to(next: CallState): void {
    if (this.current === next && next !== 'playing') return;
    if (!NEXT[this.current].includes(next)) throw new Error(`call state ${this.current} → ${next} is not allowed`);
    const from = this.current;
    this.current = next;
    this.history.push(next);
    this.onChange(from, next);
  }
}
