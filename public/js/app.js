// Small enhancements; every page works without them.
(function () {
  'use strict';
  document.documentElement.classList.add('js');

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

  // After a failed submit, move focus to the list of problems (GOV.UK error summary).
  var summary = document.querySelector('[data-error-summary]');
  if (summary) summary.focus();
})();
