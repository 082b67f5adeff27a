// The QR code on the invitation letter carries the activation code in the URL fragment (#code=...), which the
// browser never sends to the server. Put it in the code field; without JavaScript the participant types it.
(function () {
  var match = /(?:^#|&)code=([A-Za-z0-9-]{1,40})/.exec(window.location.hash || "");
  if (!match) { return; }
  var field = document.getElementById("id_code");
  if (field && !field.value) { field.value = match[1]; }
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
})();
