/**
 * The people area's part of console.js. Everything here only enhances: the import's file picker
 * (hidden without the script) reads a file into the text box, and a test's progress page follows
 * the event stream instead of reloading itself.
 */
export const PEOPLE_SCRIPT = `
(function(){
  'use strict';
  var picker = document.querySelector('.import-file');
  if (picker && window.FileReader) {
    picker.hidden = false;
    var input = picker.querySelector('input[type=file]');
    input.addEventListener('change', function(){
      var file = input.files && input.files[0];
      if (!file) return;
      var reader = new FileReader();
      reader.onload = function(){
        var box = document.getElementById('f-text');
        box.value = String(reader.result || '');
        var format = document.getElementById('f-format');
        if (format) format.value = /\\.csv$/i.test(file.name) ? 'csv' : /\\.ya?ml$/i.test(file.name) ? 'yaml' : 'auto';
        box.focus();
      };
      reader.readAsText(file);
    });
  }

  if (!window.EventSource) return;
  // A test started here goes straight to the live page (no reloading: the stream updates it).
  document.addEventListener('submit', function(e){
    var f = e.target;
    if (!f.hasAttribute || !f.hasAttribute('data-live-form') || f.querySelector('input[name=live]')) return;
    var live = document.createElement('input');
    live.type = 'hidden'; live.name = 'live'; live.value = '1';
    f.appendChild(live);
  }, true);

  var box = document.getElementById('test-progress');
  if (!box || box.getAttribute('data-finished') === '1') return;
  if (!/[?&]live=1(&|$)/.test(location.search)) { location.replace(box.getAttribute('data-live-url')); return; }
  var list = document.getElementById('steps');
  var status = document.getElementById('progress-status');
  var finalUrl = box.getAttribute('data-final-url');
  var stream = new EventSource(box.getAttribute('data-events'));
  stream.addEventListener('step', function(e){
    var s = JSON.parse(e.data);
    if (list.querySelector('[data-step="' + s.n + '"]')) return;
    var li = document.createElement('li');
    if (s.tone) li.className = s.tone;
    li.setAttribute('data-step', String(s.n));
    var time = document.createElement('span');
    time.className = 'step-time mono';
    time.textContent = s.time;
    li.appendChild(time);
    li.appendChild(document.createTextNode(' ' + s.text));
    list.appendChild(li);
  });
  stream.addEventListener('done', function(e){
    stream.close();
    status.textContent = JSON.parse(e.data).text;
    // The finished page adds the stored record (attempts, reason); a moment to read the last step first.
    setTimeout(function(){ location.replace(finalUrl); }, 1200);
  });
  stream.addEventListener('timeout', function(){ stream.close(); location.replace(finalUrl); });
})();
`;
