// Counts down the characters left in a field with a limit. Markup: an element with
// data-char-count="60" and the phrases data-chars-one|few|other and data-over-one|few|other
// (each with {count}), around the field. The counter is for the eye; a screen reader hears
// it only near the limit, not on every key.
(function () {
  'use strict';
  var plural = new Intl.PluralRules(document.documentElement.lang || 'en');

  function phrase(box, kind, count) {
    var form = plural.select(count);
    var text = box.getAttribute('data-' + kind + '-' + form) || box.getAttribute('data-' + kind + '-other') || '';
    return text.replace('{count}', String(count));
  }

  document.querySelectorAll('[data-char-count]').forEach(function (box) {
    var max = Number(box.getAttribute('data-char-count'));
    var input = box.querySelector('input, textarea');
    if (!input || !max) return;
    var shown = document.createElement('p');
    shown.className = 'char-count';
    shown.setAttribute('aria-hidden', 'true');
    var spoken = document.createElement('p');
    spoken.className = 'visually-hidden';
    spoken.setAttribute('aria-live', 'polite');
    var field = input.closest('.field') || box;
    field.appendChild(shown);
    field.appendChild(spoken);

    function update() {
      // UTF-16 units, as maxlength and the server count them.
      var left = max - input.value.length;
      var text = left >= 0 ? phrase(box, 'chars', left) : phrase(box, 'over', -left);
      shown.textContent = text;
      shown.classList.toggle('char-count--over', left < 0);
      var near = left <= 10;
      if (near && spoken.textContent !== text) spoken.textContent = text;
      if (!near) spoken.textContent = '';
    }
    input.addEventListener('input', update);
    update();
  });
})();
