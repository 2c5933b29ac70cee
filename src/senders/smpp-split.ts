/**
 * Turning a text into submit_sm fields: GSM 03.38 when every character fits, UCS-2 otherwise;
 * one part when it fits (160 septets / 70 UCS-2 chars), else concatenated parts with an
 * 8-bit-reference UDH (153 septets / 67 chars each) or one submit with message_payload.
 */
import { DATA_CODING_GSM, DATA_CODING_UCS2, encodeGsm, encodeUcs2, ESM_UDH_INDICATOR, gsmEncodable } from './smpp-lib';

export type LongMode = 'udh' | 'message_payload';

export interface SubmitFields {
  short_message: Buffer;
  message_payload?: Buffer;
  esm_class: number;
  data_coding: number;
}

interface Encoded {
  bytes: Buffer;
  dataCoding: number;
  single: number;
  perPart: number;
}

export function encodeText(text: string): Encoded {
  if (gsmEncodable(text)) return { bytes: encodeGsm(text), dataCoding: DATA_CODING_GSM, single: 160, perPart: 153 };
  return { bytes: encodeUcs2(text), dataCoding: DATA_CODING_UCS2, single: 140, perPart: 134 };
}

/** Cut points that never split a GSM escape pair or a UTF-16 surrogate pair. */
export function chunk(enc: Encoded): Buffer[] {
  const out: Buffer[] = [];
  const b = enc.bytes;
  let i = 0;
  while (i < b.length) {
    let end = Math.min(i + enc.perPart, b.length);
    if (end < b.length) {
      if (enc.dataCoding === DATA_CODING_GSM && b[end - 1] === 0x1b) end -= 1;
      if (enc.dataCoding === DATA_CODING_UCS2 && b[end - 2] >= 0xd8 && b[end - 2] <= 0xdb) end -= 2;
    }
    out.push(b.subarray(i, end));
    i = end;
  }
  return out;
}

export function planSubmits(text: string, mode: LongMode, ref: number): SubmitFields[] {
  const enc = encodeText(text);
  if (enc.bytes.length <= enc.single) return [{ short_message: enc.bytes, esm_class: 0, data_coding: enc.dataCoding }];
  if (mode === 'message_payload')
    return [{ short_message: Buffer.alloc(0), message_payload: enc.bytes, esm_class: 0, data_coding: enc.dataCoding }];
  const chunks = chunk(enc);
  return chunks.map((c, i) => ({
    short_message: Buffer.concat([Buffer.from([0x05, 0x00, 0x03, ref & 0xff, chunks.length, i + 1]), c]),
    esm_class: ESM_UDH_INDICATOR,
    data_coding: enc.dataCoding,
  }));
}

export function partCount(text: string): number {
  const enc = encodeText(text);
  return enc.bytes.length <= enc.single ? 1 : chunk(enc).length;
}

/**
 * The body shortened (with "...") so that body + suffix fits in maxParts parts; the suffix (the
 * ack link) is never cut, it is the part a person needs most.
 */
export function fitText(body: string, suffix: string, maxParts: number): string {
  if (partCount(body + suffix) <= maxParts) return body + suffix;
  let lo = 0;
  let hi = body.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (partCount(body.slice(0, mid) + '...' + suffix) <= maxParts) lo = mid;
    else hi = mid - 1;
  }
  const hi16 = body.charCodeAt(lo - 1);
  if (hi16 >= 0xd800 && hi16 <= 0xdbff) lo -= 1; // do not leave half an emoji
  return body.slice(0, lo) + '...' + suffix;
}
