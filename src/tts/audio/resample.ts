/**
 * Sample-rate conversion with a windowed-sinc low-pass (Blackman window). The low-pass sits at
 * 90% of the lower Nyquist frequency, so Google's 24 kHz speech going to 8 kHz loses everything
 * above 3.6 kHz instead of folding it back into the band as aliasing (what naive decimation or
 * linear interpolation would do).
 *
 * Three ways to evaluate the same filter, chosen once per rate pair:
 * - integer decimation (24→8, 48→8, 16→8 kHz…): one symmetric kernel, every third (sixth…)
 *   input sample is an output instant, so each output is h0·x[c] + Σ h[k]·(x[c−k] + x[c+k]):
 *   half the multiplications, no phase arithmetic. This is the hot path (Google → wav8);
 * - rational polyphase (22.05→8, 24→16, 8→16 kHz…): L exact phases for the reduced ratio L/M;
 * - a 256-phase table with rounding, for ratios whose L would make the exact table too big.
 * The float path (resample) and the integer path (resampleInto, straight into a WAV's 16-bit
 * samples) share the loops; nothing is allocated per sample.
 */
/** Zero crossings of the sinc kept on each side: 6 keeps the stop band below -50 dB (tested); 39 taps for 24→8 kHz. */
const ZERO_CROSSINGS = 6;
/** Fallback resolution for ratios with too many exact phases. */
const TABLE_PHASES = 256;
const MAX_EXACT_PHASES = 1024;

type Plan =
  | { kind: 'decimate'; factor: number; /** h[0..half], h[k] = h[-k] */ half: Float64Array }
  | { kind: 'poly'; up: number; down: number; halfWidth: number; table: Float64Array }
  | { kind: 'table'; halfWidth: number; table: Float64Array };

/** Cut-off in cycles per input sample. */
const cutoff = (fromRate: number, toRate: number) => 0.5 * Math.min(1, toRate / fromRate) * 0.9;

/** The low-pass at distance x (input samples) from the output instant. */
function kernel(x: number, fc: number, halfWidth: number): number {
  if (Math.abs(x) >= halfWidth) return 0;
  const w = 0.42 + 0.5 * Math.cos((Math.PI * x) / halfWidth) + 0.08 * Math.cos((2 * Math.PI * x) / halfWidth);
  const arg = 2 * fc * x;
  const s = arg === 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
  return 2 * fc * s * w;
}

/** phases × 2·halfWidth taps; tap k of phase p weighs input n − halfWidth + 1 + k for an output at n + p/phases. */
function phaseTable(phases: number, fc: number, halfWidth: number): Float64Array {
  const taps = 2 * halfWidth;
  const table = new Float64Array((phases + 1) * taps);
  for (let p = 0; p <= phases; p++) {
    let sum = 0;
    for (let k = 0; k < taps; k++) sum += table[p * taps + k] = kernel(k - halfWidth + 1 - p / phases, fc, halfWidth);
    // Unity gain at DC for every phase, so a constant input stays constant (no ripple between phases).
    for (let k = 0; k < taps; k++) table[p * taps + k] /= sum;
  }
  return table;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function plan(fromRate: number, toRate: number): Plan {
  const fc = cutoff(fromRate, toRate);
  const halfWidth = Math.ceil(ZERO_CROSSINGS / (2 * fc));
  if (fromRate > toRate && fromRate % toRate === 0) {
    const half = new Float64Array(halfWidth);
    let sum = 0;
    for (let k = 0; k < halfWidth; k++) {
      half[k] = kernel(k, fc, halfWidth);
      sum += k === 0 ? half[k] : 2 * half[k];
    }
    for (let k = 0; k < halfWidth; k++) half[k] /= sum;
    return { kind: 'decimate', factor: fromRate / toRate, half };
  }
  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  if (Number.isInteger(up) && Number.isInteger(down) && up <= MAX_EXACT_PHASES)
    return { kind: 'poly', up, down, halfWidth, table: phaseTable(up, fc, halfWidth) };
  return { kind: 'table', halfWidth, table: phaseTable(TABLE_PHASES, fc, halfWidth) };
}

/** Where results go: floats as they are, or 16-bit samples (scaled by 32767, rounded, clipped). */
type Sink = Float32Array | Int16Array;

/** Plans depend only on the rate pair; the owner keeps one cache per converter, not per module. */
export class Resampler {
  private plans = new Map<string, Plan>();

  /** Number of output samples for an input of `length` samples. */
  static outputLength(length: number, fromRate: number, toRate: number): number {
    return Math.floor((length * toRate) / fromRate);
  }

  resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
    if (fromRate === toRate) return input.slice();
    const out = new Float32Array(Resampler.outputLength(input.length, fromRate, toRate));
    this.run(input, fromRate, toRate, out);
    return out;
  }

  /** Resamples straight into 16-bit samples (`out.length` must be outputLength(...)). */
  resampleInto(input: Float32Array, fromRate: number, toRate: number, out: Int16Array): void {
    if (fromRate === toRate) {
      floatsToInt16(input, out);
      return;
    }
    this.run(input, fromRate, toRate, out);
  }

  private run(input: Float32Array, fromRate: number, toRate: number, out: Sink): void {
    const key = `${fromRate}>${toRate}`;
    let p = this.plans.get(key);
    if (!p) {
      p = plan(fromRate, toRate);
      this.plans.set(key, p);
    }
    const scale = out instanceof Int16Array ? 32767 : 1;
    if (p.kind === 'decimate') decimate(input, p.factor, p.half, out, scale);
    else if (p.kind === 'poly') polyphase(input, p.up, p.down, p.halfWidth, p.table, out, scale);
    else tablePhase(input, fromRate / toRate, p.halfWidth, p.table, out, scale);
  }
}

export function floatsToInt16(input: Float32Array, out: Int16Array): void {
  for (let i = 0; i < out.length; i++) {
    const v = input[i] * 32767;
    out[i] = v >= 32767 ? 32767 : v <= -32768 ? -32768 : Math.round(v);
  }
}

/** Stores one result; for 16-bit sinks the value is already scaled. */
function put(out: Sink, i: number, v: number, int: boolean): void {
  if (int) out[i] = v >= 32767 ? 32767 : v <= -32768 ? -32768 : Math.round(v);
  else out[i] = v;
}

function decimate(x: Float32Array, factor: number, h: Float64Array, out: Sink, scale: number): void {
  const int = scale !== 1;
  const n = out.length;
  const last = x.length - 1;
  const H = h.length - 1;
  // Outputs whose window lies fully inside the input take the fast loop; the few at either end check bounds.
  const from = Math.min(n, Math.ceil(H / factor));
  const to = Math.max(from, Math.min(n, Math.floor((last - H) / factor) + 1));
  const h0 = h[0] * scale;
  for (let i = from; i < to; i++) {
    const c = i * factor;
    // Two independent sums, so one's additions need not wait for the other's.
    let a = 0;
    let b = 0;
    let k = H;
    for (; k > 1; k -= 2) {
      a += h[k] * (x[c - k] + x[c + k]);
      b += h[k - 1] * (x[c - k + 1] + x[c + k - 1]);
    }
    if (k === 1) a += h[1] * (x[c - 1] + x[c + 1]);
    const v = (a + b) * scale + h0 * x[c];
    if (int) out[i] = v >= 32767 ? 32767 : v <= -32768 ? -32768 : Math.round(v);
    else out[i] = v;
  }
  const edge = (i: number) => {
    const c = i * factor;
    let acc = 0;
    for (let k = -H; k <= H; k++) {
      const j = c + k;
      // Samples outside the signal count as silence.
      if (j >= 0 && j <= last) acc += h[k < 0 ? -k : k] * x[j];
    }
    put(out, i, acc * scale, int);
  };
  for (let i = 0; i < from; i++) edge(i);
  for (let i = to; i < n; i++) edge(i);
}

function polyphase(x: Float32Array, up: number, down: number, halfWidth: number, table: Float64Array, out: Sink, scale: number): void {
  const int = scale !== 1;
  const taps = 2 * halfWidth;
  const last = x.length - 1;
  const whole = Math.floor(down / up);
  const rest = down % up;
  // Output i sits at input position n + r/up, with n·up + r = i·down.
  let n = 0;
  let r = 0;
  for (let i = 0; i < out.length; i++) {
    const base = r * taps;
    const first = n - halfWidth + 1;
    let acc = 0;
    if (first >= 0 && first + taps - 1 <= last) {
      for (let k = 0; k < taps; k++) acc += x[first + k] * table[base + k];
    } else {
      for (let k = 0; k < taps; k++) {
        const j = first + k;
        if (j >= 0 && j <= last) acc += x[j] * table[base + k];
      }
    }
    put(out, i, acc * scale, int);
    n += whole;
    r += rest;
    if (r >= up) {
      r -= up;
      n += 1;
    }
  }
}

function tablePhase(x: Float32Array, step: number, halfWidth: number, table: Float64Array, out: Sink, scale: number): void {
  const int = scale !== 1;
  const taps = 2 * halfWidth;
  const last = x.length - 1;
  for (let i = 0; i < out.length; i++) {
    const t = i * step;
    let n = Math.floor(t);
    let p = Math.round((t - n) * TABLE_PHASES);
    if (p === TABLE_PHASES) {
      n += 1;
      p = 0;
    }
    const base = p * taps;
    const first = n - halfWidth + 1;
    let acc = 0;
    for (let k = 0; k < taps; k++) {
      const j = first + k;
      if (j >= 0 && j <= last) acc += x[j] * table[base + k];
    }
    put(out, i, acc * scale, int);
  }
}
