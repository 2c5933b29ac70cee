import { expect } from 'chai';
import { fill, html, joinHtml, unsafeRawHtml, userText } from '../../../src/web/html';

describe('web kit: html``', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const evil = `<script>alert("x")</script>' onmouseover='1' \`&`;
    const out = html`<p title="${evil}">${evil}</p>`.markup;
    expect(out).to.equal(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;1&#39; &#96;&amp;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;1&#39; &#96;&amp;</p>',
    );
  });

  it('inserts Html and lists of Html as built, and nothing for null, undefined and false', () => {
    const items = ['a<b', 'c'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${[null, html`<hr>`]}`.markup).to.equal(
      '<ul><li>a&lt;b</li><li>c</li></ul><hr>',
    );
  });

  it('numbers are text; a string that looks like markup stays text', () => {
    expect(html`${42} ${'<b>'}`.markup).to.equal('42 &lt;b&gt;');
  });

  it('raw markup goes in only through unsafeRawHtml', () => {
    expect(html`<style>${unsafeRawHtml('a>b{}')}</style>`.markup).to.equal('<style>a>b{}</style>');
  });

  it('userText escapes and isolates, so a right-to-left override stays inside its <bdi>', () => {
    expect(userText('Mallory \u202Egnp.exe<').markup).to.equal('<bdi>Mallory \u202Egnp.exe&lt;</bdi>');
    expect(userText(null).markup).to.equal('<bdi></bdi>');
  });

  it('fill puts Html into the holes of a translated sentence and escapes the rest', () => {
    const out = fill('Tied to {id} <now> {missing}', { id: html`<a href="x">1</a>` }).markup;
    expect(out).to.equal('Tied to <a href="x">1</a> &lt;now&gt; {missing}');
  });

  it('joinHtml joins with an escaped separator', () => {
    expect(joinHtml([html`<i>a</i>`, html`<i>b</i>`], ' & ').markup).to.equal('<i>a</i> &amp; <i>b</i>');
  });
});
