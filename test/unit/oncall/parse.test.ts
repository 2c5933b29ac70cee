import { expect } from 'chai';
import { parseMessage, stripAlertGroupLinks } from '../../../src/oncall/parse';

const PK = 'I68T24C13IFW1';

describe('oncall/parseMessage', () => {
  it('reads the current phone-call text', () => {
    const p = parseMessage(
      'You are invited to check an Alert Group from Grafana OnCall. Alert via Prod - Formatted webhook with title High CPU triggered 3 times',
    );
    expect(p).to.include({ kind: 'phone', integration: 'Prod - Formatted webhook', title: 'High CPU', alertCount: 3, alertGroupId: null });
  });

  it('reads the pre-1.3.18 phone wording', () => {
    const p = parseMessage(
      'You are invited to check an incident from Grafana OnCall. Alert via Webhook :slightly_smiling_face: with title Incident triggered 1 times',
    );
    expect(p).to.include({ kind: 'phone', integration: 'Webhook :slightly_smiling_face:', title: 'Incident', alertCount: 1 });
  });

  it('keeps " with title " inside a phone title (integration lazy, title greedy) and newlines', () => {
    const p = parseMessage(
      'You are invited to check an Alert Group from Grafana OnCall. Alert via AM - Alertmanager with title Disk full with title noise\nsecond line triggered 12 times',
    );
    expect(p.integration).to.equal('AM - Alertmanager');
    expect(p.title).to.equal('Disk full with title noise\nsecond line');
    expect(p.alertCount).to.equal(12);
  });

  it('reads a single SMS, including quotes inside the title (contract example)', () => {
    const p = parseMessage(
      'Grafana OnCall: Alert group #7"Quote "inside", from stack: "x", weird" from stack: "self_hosted_stack", integration: Formatted webhook :smile:, alerts registered: 1.',
    );
    expect(p).to.include({
      kind: 'sms',
      title: 'Quote "inside", from stack: "x", weird',
      stack: 'self_hosted_stack',
      integration: 'Formatted webhook :smile:',
      alertCount: 1,
    });
    expect(p.numbers).to.deep.equal([7]);
  });

  it('reads an SMS with an emoji code and a newline in the title', () => {
    const p = parseMessage(
      'Grafana OnCall: Alert group #42":fire: High CPU\non db-1.example.com" from stack: "prod", integration: Prod - Formatted webhook, alerts registered: 3.',
    );
    expect(p).to.include({
      kind: 'sms',
      title: ':fire: High CPU\non db-1.example.com',
      alertCount: 3,
      integration: 'Prod - Formatted webhook',
    });
  });

  it('reads SMS bundles: one group, several, and "and N more"', () => {
    const one = parseMessage('Grafana OnCall: Alert group #7 from stack: self_hosted_stack, integration: Webhook :x:.');
    expect(one).to.include({
      kind: 'sms-bundle',
      integration: 'Webhook :x:',
      stack: 'self_hosted_stack',
      moreGroups: 0,
      moreIntegrations: 0,
    });
    expect(one.numbers).to.deep.equal([7]);
    const many = parseMessage('Grafana OnCall: Alert groups #1, #2, #3 and 1 more from stack: s, integrations: A and 1 more.');
    expect(many).to.include({ kind: 'sms-bundle', integration: 'A', moreGroups: 1, moreIntegrations: 1, stack: 's' });
    expect(many.numbers).to.deep.equal([1, 2, 3]);
  });

  it('reads the legacy SMS (< v1.3.4) with its link', () => {
    const raw = `You are invited to check an incident #5 with title "Disk "full"" in Grafana OnCall organization: "acme", alert channel: Grafana Alerting, alerts registered: 2, http://grafana:3000/a/grafana-oncall-app/alert-groups/${PK}\nYour Grafana OnCall <3`;
    const p = parseMessage(raw);
    expect(p).to.include({
      kind: 'sms-legacy',
      title: 'Disk "full"',
      stack: 'acme',
      integration: 'Grafana Alerting',
      alertCount: 2,
      alertGroupId: PK,
    });
    expect(p.numbers).to.deep.equal([5]);
  });

  it('finds the alert-group pk in a permalink inside a customised phone title', () => {
    const raw = `You are invited to check an Alert Group from Grafana OnCall. Alert via Prod - Formatted webhook with title High CPU ref http://grafana:3000/a/grafana-irm-app/alert-groups/${PK} triggered 3 times`;
    const p = parseMessage(raw);
    expect(p.kind).to.equal('phone');
    expect(p.alertGroupId).to.equal(PK);
    expect(p.permalink).to.equal(`http://grafana:3000/a/grafana-irm-app/alert-groups/${PK}`);
  });

  it('finds pre-1.2.10 links and bare pks, and ignores words that merely look like pks', () => {
    expect(parseMessage(`see https://g/a/grafana-oncall-app/?page=incident&id=${PK}`).alertGroupId).to.equal(PK);
    expect(parseMessage(`custom text [${PK}] please`).alertGroupId).to.equal(PK);
    expect(parseMessage('INFRASTRUCTURE DOWN everywhere').alertGroupId).to.equal(null);
    expect(parseMessage(`x${PK}`).alertGroupId).to.equal(null);
  });

  it('leaves anything else as a custom message', () => {
    expect(parseMessage('Hello, the database is on fire')).to.include({ kind: 'custom', title: null, alertGroupId: null });
  });

  it('strips links and the "ref" word for speech', () => {
    expect(stripAlertGroupLinks(`High CPU ref http://grafana:3000/a/grafana-oncall-app/alert-groups/${PK}`)).to.equal('High CPU');
    expect(stripAlertGroupLinks(`Disk full (${PK}) on db-1`)).to.equal('Disk full () on db-1');
  });
});
