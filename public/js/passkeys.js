// The passkey ceremonies (WebAuthn) through @simplewebauthn/browser. Passkeys need
// JavaScript; everything else on these pages works without it.
(function () {
  'use strict';
  var lib = window.SimpleWebAuthnBrowser;
  if (!lib || !lib.browserSupportsWebAuthn()) return;

  function csrfToken() {
    var input = document.querySelector('input[name="_csrf"]');
    return input ? input.value : '';
  }

  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrfToken() },
      body: JSON.stringify(body || {})
    }).then(function (res) {
      return res.json().then(function (json) {
        if (!res.ok) throw new Error((json.error && json.error.message) || '');
        return json;
      });
    });
  }

  document.querySelectorAll('[data-passkey-only]').forEach(function (el) { el.hidden = false; });

  document.querySelectorAll('[data-passkey]').forEach(function (button) {
    var mode = button.getAttribute('data-passkey');
    // The page names both URLs (from the server's URL table).
    var endpoint = button.getAttribute('data-endpoint');
    var optionsUrl = button.getAttribute('data-options');
    var container = button.parentElement;
    var error = container.querySelector('[data-passkey-error]');
    button.hidden = false;
    button.addEventListener('click', function () {
      button.disabled = true;
      if (error) error.hidden = true;
      post(optionsUrl)
        .then(function (options) {
          return mode === 'register' ? lib.startRegistration({ optionsJSON: options }) : lib.startAuthentication({ optionsJSON: options });
        })
        .then(function (response) {
          var body = { response: response };
          var name = document.querySelector('[data-passkey-name]');
          if (mode === 'register' && name && name.value) body.name = name.value;
          var signOutOthers = container.querySelector('input[name="sign_out_others"]');
          if (mode === 'register' && signOutOthers) body.sign_out_others = signOutOthers.checked;
          var next = button.getAttribute('data-next');
          if (next) body.next = next;
          var url = endpoint + (mode === 'sign-in' && next ? '?next=' + encodeURIComponent(next) : '');
          return post(url, body);
        })
        .then(function (result) { window.location.assign(result.redirect || '/'); })
        .catch(function (err) {
          button.disabled = false;
          if (!error) return;
          error.textContent = (err && err.name !== 'NotAllowedError' && err.message) || button.getAttribute('data-error-text');
          error.hidden = false;
        });
    });
  });
})();
