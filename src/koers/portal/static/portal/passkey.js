// Passkeys on Mijn Koers (portal/views/passkeys.py). Progressive: the passkey forms stay hidden unless the browser
// can use passkeys with the JSON helpers of WebAuthn level 3; without JavaScript the password login is all there is.
// A click asks the server for options (a fresh challenge, kept in the session), lets the phone sign, puts the
// answer in the hidden "credential" field and submits the form the ordinary way: the server answers with a page.
(function () {
  "use strict";
  var PKC = window.PublicKeyCredential;
  var supported = !!(PKC && PKC.parseRequestOptionsFromJSON && PKC.parseCreationOptionsFromJSON &&
                     navigator.credentials && window.fetch);

  function csrf(form) {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function showError(form) {
    var box = form.querySelector("[data-passkey-error]");
    if (box) { box.textContent = form.getAttribute("data-failed") || ""; box.hidden = false; }
  }

  function getOptions(form) {
    return fetch(form.getAttribute("data-options-url"), {
      method: "POST", credentials: "same-origin",
      headers: {"X-CSRFToken": csrf(form), "Accept": "application/json"}
    }).then(function (response) {
      if (!response.ok) { throw new Error("options " + response.status); }
      return response.json();
    });
  }

  function wire(form, ceremony) {
    if (!form) { return; }
    form.hidden = false;
    var busy = false;
    form.addEventListener("submit", function (event) {
      var field = form.querySelector("input[name=credential]");
      if (field.value) { return; }  // the answer is in: let the form go
      event.preventDefault();
      if (busy) { return; }
      busy = true;
      getOptions(form).then(ceremony).then(function (credential) {
        field.value = JSON.stringify(credential.toJSON());
        form.submit();
      }).catch(function () {
        busy = false;
        showError(form);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!supported) { return; }
    var unsupported = document.querySelector("[data-passkey-unsupported]");
    if (unsupported) { unsupported.hidden = true; }
    wire(document.getElementById("passkey-login"), function (options) {
      return navigator.credentials.get({publicKey: PKC.parseRequestOptionsFromJSON(options)});
    });
    wire(document.getElementById("passkey-add"), function (options) {
      return navigator.credentials.create({publicKey: PKC.parseCreationOptionsFromJSON(options)});
    });
  });
})();
