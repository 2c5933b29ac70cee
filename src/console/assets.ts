/**
 * The console's one stylesheet and one script, served from our own origin (the CSP allows nothing
 * else). The script only enhances: every page works without it, except the parts that are live
 * by nature (progress, copy buttons), which degrade to a refreshing page and selectable text.
 */

export const CONSOLE_CSS = `
:root{color-scheme:light;--fg:#1d2330;--muted:#595f6b;--line:#d9dde3;--bg:#f6f7f9;--accent:#1849a9;--good:#05603a;--good-bg:#dcfae6;--warn:#7a2e0e;--warn-bg:#fef0c7;--bad:#a11a12;--bad-bg:#fee4e2;--focus:#f79009}
*{box-sizing:border-box}html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-9999px;top:0;background:#fff;padding:8px;z-index:10}.skip:focus{left:8px}
header.top{display:flex;flex-wrap:wrap;align-items:center;gap:8px 20px;padding:10px 20px;background:#101828;color:#fff}
header.top a{color:#fff}.brand{font-weight:700;font-size:18px;text-decoration:none}
header.top nav ul{display:flex;flex-wrap:wrap;gap:4px 14px;list-style:none;margin:0;padding:0}
header.top nav a{text-decoration:none;padding:4px 2px;border-bottom:2px solid transparent}
header.top nav a[aria-current=page]{border-bottom-color:#fff;font-weight:600}
.top-actions{margin-left:auto;display:flex;gap:12px;align-items:center}.top-actions form{margin:0}
.linklike{background:none;border:1px solid #667085;color:#fff;border-radius:6px;padding:3px 10px;font:inherit;cursor:pointer}
.lang{border:1px solid #667085;border-radius:6px;padding:2px 8px;text-decoration:none}
main{padding:16px 20px 40px;max-width:1200px;margin:0 auto}
main:focus{outline:none}
h1{font-size:22px;margin:4px 0 16px}h2{font-size:17px;margin:0 0 10px}h3{font-size:15px;margin:12px 0 6px}
section.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:14px 16px;margin:0 0 16px}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:7px 8px;border-top:1px solid var(--line);vertical-align:top}
th{font-size:13px;color:var(--muted);font-weight:600;border-top:none;white-space:nowrap}td time{white-space:nowrap}
.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
.muted,.hint{color:var(--muted)}.empty{color:var(--muted);margin:4px 0}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;background:#eaecf0;color:#344054;white-space:nowrap}
.badge.good{background:var(--good-bg);color:var(--good)}.badge.warn{background:var(--warn-bg);color:var(--warn)}.badge.bad{background:var(--bad-bg);color:var(--bad)}
.notice{padding:10px 14px;border-radius:8px;margin:0 0 16px;border:1px solid var(--line);background:#fff}
.notice.good{background:var(--good-bg);color:var(--good);border-color:#a6f4c5}.notice.bad{background:var(--bad-bg);color:var(--bad);border-color:#fecdca}
.field{margin:0 0 12px;border:0;padding:0}.field label,.field legend{display:block;font-weight:600;margin:0 0 4px}
.field input:not([type=checkbox]),.field select,.field textarea{width:100%;max-width:520px;padding:8px 10px;border:1px solid #98a2b3;border-radius:6px;font:inherit;background:#fff;color:inherit}
.field textarea{max-width:100%}.field .hint,.field .field-error{display:block;margin-top:3px;font-size:13px}
.field.invalid input,.field.invalid select,.field.invalid textarea{border-color:var(--bad)}.field-error{color:var(--bad)}
label.check{display:inline-flex;gap:6px;align-items:center;margin:0 16px 4px 0;font-weight:normal}
button,.button{display:inline-block;padding:8px 14px;border:1px solid #101828;border-radius:6px;background:#101828;color:#fff;font:inherit;cursor:pointer;text-decoration:none;line-height:1.3}
button.secondary,.button.secondary{background:#fff;color:#101828;border-color:#98a2b3}
button.danger{background:#fff;color:var(--bad);border-color:var(--bad)}
button:disabled{opacity:.6;cursor:default}
.actions{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:12px 0}.actions form{margin:0}
.copyable{margin:0 0 12px}.copyable label{display:block;font-weight:600;margin-bottom:4px}
.copy-row{display:flex;gap:8px}.copy-row input{flex:1;min-width:0;padding:7px 9px;border:1px solid #98a2b3;border-radius:6px;background:#f9fafb}
.code-head{display:flex;justify-content:space-between;align-items:center;gap:8px;margin-bottom:4px;font-weight:600}
pre{background:#f2f4f7;border:1px solid var(--line);border-radius:6px;padding:10px;overflow-x:auto;margin:0;white-space:pre}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
ol.timeline{list-style:none;margin:0;padding:0 0 0 18px;border-left:2px solid var(--line)}
ol.timeline li{position:relative;margin:0 0 12px;padding-left:8px}
ol.timeline li::before{content:"";position:absolute;left:-25px;top:6px;width:10px;height:10px;border-radius:50%;background:#98a2b3;border:2px solid #fff}
ol.timeline li.good::before{background:var(--good)}ol.timeline li.bad::before{background:var(--bad)}ol.timeline li.warn::before{background:#dc6803}
.search{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-end;margin:0 0 12px}.search .field{margin:0}
@media (max-width:720px){.grid2{grid-template-columns:1fr}main{padding:12px}header.top{padding:10px 12px}.top-actions{margin-left:0}dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:6px}}
`;

export const CORE_SCRIPT = `
(function(){
  'use strict';
  document.addEventListener('click', function(e){
    var b = e.target.closest && e.target.closest('[data-copy]');
    if (!b) return;
    var el = document.getElementById(b.getAttribute('data-copy'));
    if (!el) return;
    var text = 'value' in el && el.tagName === 'INPUT' ? el.value : el.textContent;
    var done = function(){ var old = b.textContent; b.textContent = b.getAttribute('data-copied') || 'Copied'; setTimeout(function(){ b.textContent = old; }, 1500); };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, function(){ select(el); });
    else { select(el); try { document.execCommand('copy'); done(); } catch (_) {} }
  });
  function select(el){ if (el.select) { el.select(); return; } var r = document.createRange(); r.selectNodeContents(el); var s = getSelection(); s.removeAllRanges(); s.addRange(r); }
  document.addEventListener('submit', function(e){
    var f = e.target; var q = f.getAttribute && f.getAttribute('data-confirm');
    if (q && !window.confirm(q)) e.preventDefault();
  });
})();
`;
