import { expect } from 'chai';
import { ValidationError } from '../../../src/core/errors';
import { parseOnCallWebhook } from '../../../src/oncall/webhook';

const PK = 'I68T24C13IFW1';

function payload(): Record<string, unknown> {
  return {
    event: { type: 'personal notification', time: '2026-11-21T16:30:00.123456+00:00', user: {} },
    user: { id: 'U4DNY931HHJS5', username: 'alice', email: 'Alice@Example.com' },
    alert_group: { id: PK, title: 'High CPU on db-1.example.com', state: 'firing', alerts_count: 1, labels: [], permalinks: { web: null } },
    alert_group_id: PK,
    alert_payload: { title: 'High CPU on db-1.example.com', message: '…' },
    integration: { id: 'CFRPV98RPR1U8', type: 'formatted_webhook', name: 'Prod - Formatted webhook', team: null },
  };
}

describe('oncall/parseOnCallWebhook', () => {
  it('returns the group, the notified user and a short message', () => {
    const n = parseOnCallWebhook(payload());
    expect(n).to.include({
      alertGroupId: PK,
      email: 'alice@example.com',
      userId: 'U4DNY931HHJS5',
      title: 'High CPU on db-1.example.com',
      integration: 'Prod - Formatted webhook',
    });
    expect(n.message).to.equal('Alert via Prod - Formatted webhook with title High CPU on db-1.example.com');
    expect(n.alertGroup?.id).to.equal(PK);
  });

  it('takes the pk from alert_group.id when the legacy key is gone, and the title from alert_payload', () => {
    const b = payload();
    delete b.alert_group_id;
    (b.alert_group as Record<string, unknown>).title = null;
    expect(parseOnCallWebhook(b)).to.include({ alertGroupId: PK, title: 'High CPU on db-1.example.com' });
  });

  const bad: [string, (b: Record<string, unknown>) => unknown, RegExp][] = [
    ['not an object', () => 'text', /JSON object/],
    ['no alert group', (b) => (delete b.alert_group_id, delete b.alert_group, b), /alert_group_id is missing/],
    ['a malformed pk', (b) => ((b.alert_group_id = 'nope'), b), /not an OnCall alert-group pk/],
    ['another trigger type', (b) => (((b.event as Record<string, unknown>).type = 'acknowledge'), b), /only the "personal notification"/],
    ['no user', (b) => (delete b.user, b), /user.email is missing/],
  ];
  for (const [name, mutate, re] of bad) {
    it(`rejects ${name} with a ValidationError that says what is missing`, () => {
      expect(() => parseOnCallWebhook(mutate(payload()))).to.throw(ValidationError, re);
    });
  }
});
