import { expect } from 'chai';
import { render, templateValues, unknownPlaceholders, withAckLink } from '../../../src/senders/template';
import type { OutboundMessage } from '../../../src/senders/types';

const msg: OutboundMessage = {
  to: { phone: '+15550001111', contacts: {}, email: 'a@b.co', name: 'Ann' },
  text: 'He said "hi"\\\n{{to}}',
  priority: 'urgent',
  ackUrl: 'https://d.example/ack/1.x.y',
};

describe('sender templates', () => {
  const v = templateValues(msg, '+15550001111');

  it('escapes per place: JSON string, URL component, form, header', () => {
    expect(JSON.parse(`{"t":"${render('{{message}}', v, 'json')}"}`).t).to.equal(msg.text);
    expect(render('x?to={{to}}', v, 'url')).to.equal('x?to=%2B15550001111');
    expect(render('{{name}} {{priority}}', v, 'form')).to.equal('Ann urgent');
    expect(render('{{message}}', v, 'header')).to.equal('He said "hi"\\ {{to}}');
  });

  it('does not substitute placeholders found inside values (no second pass)', () => {
    expect(render('{{message}}', v, 'none')).to.include('{{to}}');
  });

  it('appends the ack link once', () => {
    expect(withAckLink(msg)).to.equal(`${msg.text}\nAck: https://d.example/ack/1.x.y`);
    expect(withAckLink({ ...msg, text: 'see https://d.example/ack/1.x.y' })).to.equal('see https://d.example/ack/1.x.y');
    expect(withAckLink({ ...msg, ackUrl: undefined })).to.equal(msg.text);
  });

  it('finds unknown placeholders', () => {
    expect(unknownPlaceholders('{{ to }} {{text}} {{phone}} {{secret}}')).to.deep.equal(['phone', 'secret']);
  });
});
