/** A fake HTTP SMS gateway (Kannel-like): accepts anything, answers 202 with an id; failures are queued. */
import { HttpFake, RecordedRequest } from './http-fake';

export class FakeSmsGateway extends HttpFake {
  private seq = 0;

  constructor() {
    super(() => ({ status: 202, body: { id: `sms-${++this.seq}`, status: 'queued' } }));
  }

  static async start(): Promise<FakeSmsGateway> {
    return new FakeSmsGateway().start();
  }

  last(): RecordedRequest {
    const r = this.requests[this.requests.length - 1];
    if (!r) throw new Error('the fake SMS gateway received nothing');
    return r;
  }
}
