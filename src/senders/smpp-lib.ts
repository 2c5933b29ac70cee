/**
 * The only file that imports the `smpp` library (it ships no types). Re-exports the pieces
 * the SMPP sender and the test SMSC need, typed as narrowly as they are used.
 */
import type { EventEmitter } from 'node:events';
import type { Server, Socket } from 'node:net';

export interface SmppPdu {
  command: string;
  command_status: number;
  sequence_number: number;
  [field: string]: unknown;
  response(opts?: Record<string, unknown>): SmppPdu;
  isResponse(): boolean;
}

export type PduCallback = (pdu: SmppPdu) => void;

export interface SmppSession extends EventEmitter {
  socket: Socket;
  send(pdu: SmppPdu, onResponse?: PduCallback): boolean;
  close(cb?: () => void): void;
  destroy(cb?: () => void): void;
  pause(): void;
  resume(): void;
  bind_transceiver(opts: Record<string, unknown>, cb: PduCallback): boolean;
  bind_transmitter(opts: Record<string, unknown>, cb: PduCallback): boolean;
  submit_sm(opts: Record<string, unknown>, cb: PduCallback): boolean;
  deliver_sm(opts: Record<string, unknown>, cb: PduCallback): boolean;
  enquire_link(opts: Record<string, unknown>, cb: PduCallback): boolean;
  unbind(opts: Record<string, unknown>, cb: PduCallback): boolean;
}

export interface SmppServer extends Server {
  sessions: SmppSession[];
}

interface SmppModule {
  connect(opts: { url: string }): SmppSession;
  createServer(listener: (session: SmppSession) => void): SmppServer;
  encodings: {
    ASCII: { match(s: string): boolean; encode(s: string): Buffer; decode(b: Buffer): string };
    UCS2: { encode(s: string): Buffer; decode(b: Buffer): string };
  };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require('smpp') as SmppModule;

export function connectSmpp(url: string): SmppSession {
  return lib.connect({ url });
}

export function createSmppServer(listener: (session: SmppSession) => void): SmppServer {
  return lib.createServer(listener);
}

/** True when every character exists in the GSM 03.38 alphabet (basic table plus escapes). */
export function gsmEncodable(text: string): boolean {
  return lib.encodings.ASCII.match(text);
}

/** GSM 03.38, one septet per octet (SMPP's unpacked form); extension characters become ESC + code. */
export function encodeGsm(text: string): Buffer {
  return lib.encodings.ASCII.encode(text);
}

export function encodeUcs2(text: string): Buffer {
  return lib.encodings.UCS2.encode(text);
}

/** SMPP command_status values this code looks at (the command_status table of the SMPP 5.0 specification). */
export const SMPP_STATUS = {
  OK: 0x00,
  RINVMSGLEN: 0x01,
  RSYSERR: 0x08,
  RINVDSTADR: 0x0b,
  RBINDFAIL: 0x0d,
  RINVPASWD: 0x0e,
  RINVSYSID: 0x0f,
  RMSGQFUL: 0x14,
  RSUBMITFAIL: 0x45,
  RTHROTTLED: 0x58,
  RX_T_APPN: 0x64,
  RX_P_APPN: 0x65,
} as const;

export const ESM_UDH_INDICATOR = 0x40;
export const ESM_DELIVERY_RECEIPT = 0x04;
export const DATA_CODING_GSM = 0x00;
export const DATA_CODING_UCS2 = 0x08;
