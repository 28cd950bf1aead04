// Small enhancements; every page works without them.
(function () {
  'use strict';
  var root = document.documentElement;
  root.classList.add('js');

  // Tell the server our time zone, so that times are shown in local time from the next page on.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && zone !== root.getAttribute('data-tz')) {
      document.cookie = root.getAttribute('data-tz-cookie') + '=' + encodeURIComponent(zone) +
        '; path=/; max-age=31536000; samesite=lax' + (location.protocol === 'https:' ? '; secure' : '');
    }
  } catch { /* no Intl: times stay in UTC */ }

  // Language and theme pickers apply as soon as they change.
  document.querySelectorAll('form[data-autosubmit]').forEach(function (form) {
    form.addEventListener('change', function () {
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    });
  });

  // "Show" buttons beside password fields.
  document.querySelectorAll('[data-reveal]').forEach(function (button) {
    var input = document.getElementById(button.getAttribute('data-reveal'));
    if (!input) return;
    var showLabel = button.textContent;
    var hideLabel = button.getAttribute('data-label-hide') || showLabel;
    button.hidden = false;
    button.addEventListener('click', function () {
      var reveal = input.type === 'password';
      input.type = reveal ? 'text' : 'password';
      button.textContent = reveal ? hideLabel : showLabel;
      button.setAttribute('aria-pressed', String(reveal));
      input.focus();
    });
  });

  // File pickers: the chosen file's name, in place of the browser's own text (which is in the browser's language).
  document.querySelectorAll('[data-file-name]').forEach(function (name) {
    var input = document.getElementById(name.getAttribute('data-file-name'));
    if (!input) return;
    var none = name.textContent;
    name.hidden = false;
    input.addEventListener('change', function () {
      name.textContent = input.files && input.files.length ? input.files[0].name : none;
    });
  });

  // Menus built on <details>: Escape and a click elsewhere close them.
  var menus = document.querySelectorAll('details[data-menu]');
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    menus.forEach(function (menu) {
      if (menu.open) {
        menu.open = false;
        menu.querySelector('summary').focus();
      }
    });
  });
  document.addEventListener('click', function (event) {
    menus.forEach(function (menu) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
  });

  // Elements are built with DOM methods only (no HTML strings; a lint rule forbids them in public/).
  function element(tag, className) {
    var el = document.createElement(tag);
    el.className = className;
    return el;
  }

  // Live password strength: the server judges with the same policy as the form.
  document.querySelectorAll('input[data-strength-meter]').forEach(function (input) {
    var form = input.form;
    var token = form && form.querySelector('input[name="_csrf"]');
    if (!token || !window.fetch) return;
    var bar = element('div', 'strength__bar');
    bar.setAttribute('aria-hidden', 'true');
    for (var i = 0; i < 4; i++) bar.appendChild(document.createElement('span'));
    var text = element('p', 'strength__text');
    var meter = element('div', 'strength');
    meter.setAttribute('aria-live', 'polite');
    meter.append(bar, text);
    meter.hidden = true;
    input.closest('.field').appendChild(meter);
    var timer;
    var field = function (name) {
      var el = form.querySelector('[name="' + name + '"]');
      return el && el.type !== 'password' ? el.value : undefined;
    };
    input.addEventListener('input', function () {
      clearTimeout(timer);
      if (!input.value) { meter.hidden = true; return; }
      timer = setTimeout(function () {
        fetch(input.getAttribute('data-strength-meter'), {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': token.value },
          body: JSON.stringify({ password: input.value, username: field('username'), email: field('email'), first_name: field('first_name'), last_name: field('last_name') })
        }).then(function (res) { return res.ok ? res.json() : null; }).then(function (verdict) {
          if (!verdict) { meter.hidden = true; return; }
          meter.hidden = false;
          meter.setAttribute('data-score', String(verdict.score));
          meter.classList.toggle('strength--bad', !verdict.acceptable);
          var label = document.createElement('strong');
          label.textContent = verdict.label;
          text.replaceChildren(label, document.createTextNode(verdict.message));
        }).catch(function () { meter.hidden = true; });
      }, 300);
    });
  });

  // Copy buttons (secret keys, recovery codes) and printing.
  document.querySelectorAll('[data-copy]').forEach(function (button) {
    var source = document.getElementById(button.getAttribute('data-copy'));
    if (!source || !navigator.clipboard) return;
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener('click', function () {
      var text = source.tagName === 'OL' ? Array.prototype.map.call(source.querySelectorAll('li'), function (li) { return li.textContent.trim(); }).join('\n') : source.textContent.replace(/\s+/g, '');
      navigator.clipboard.writeText(text).then(function () {
        button.textContent = button.getAttribute('data-copied-text');
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });
  document.querySelectorAll('[data-print]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () { window.print(); });
  });

  // Leaving the new recovery codes unconfirmed deserves a warning.
  var confirmLeave = document.querySelector('form[data-confirm-leave]');
  if (confirmLeave) {
    var leaving = true;
    confirmLeave.addEventListener('submit', function () { leaving = false; });
    window.addEventListener('beforeunload', function (event) {
      if (leaving) { event.preventDefault(); event.returnValue = confirmLeave.getAttribute('data-confirm-leave'); }
    });
  }

  // After a failed submit, move focus to the list of problems (GOV.UK error summary).
  var summary = document.querySelector('[data-error-summary]');
  if (summary) summary.focus();
})();
