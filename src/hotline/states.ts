/**
 * The states of one hotline call and the only transitions allowed between them, beside the
 * outbound call's (src/ivr/call-states.ts). One log line per transition.
 */
export type HotlineState =
  | 'arrived'
  | 'answering'
  | 'identifying'
  | 'pin'
  | 'loading'
  | 'reading'
  | 'acting'
  | 'connecting'
  | 'bridged'
  | 'voicemail'
  | 'goodbye'
  | 'done';

const NEXT: Record<HotlineState, readonly HotlineState[]> = {
  arrived: ['answering', 'done'],
  answering: ['identifying', 'done'],
  identifying: ['pin', 'loading', 'done'],
  pin: ['loading', 'reading', 'acting', 'goodbye', 'done'],
  loading: ['reading', 'done'],
  reading: ['reading', 'pin', 'acting', 'connecting', 'goodbye', 'done'],
  acting: ['reading', 'done'],
  connecting: ['bridged', 'voicemail', 'done'],
  bridged: ['done'],
  voicemail: ['goodbye', 'done'],
  goodbye: ['done'],
  done: [],
};

export class HotlineStateMachine {
  private current: HotlineState = 'arrived';
  readonly history: HotlineState[] = ['arrived'];

  constructor(private readonly onChange: (from: HotlineState, to: HotlineState) => void) {}

  get state(): HotlineState {
    return this.current;
  }

  to(next: HotlineState): void {
    if (this.current === next && next !== 'reading') return;
    if (!NEXT[this.current].includes(next)) throw new Error(`hotline state ${this.current} → ${next} is not allowed`);
    const from = this.current;
    this.current = next;
    this.history.push(next);
    this.onChange(from, next);
  }
}
