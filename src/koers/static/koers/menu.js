// The main menu on a phone: folded behind a "Menu" button so the page itself starts on the first screen.
// Without JavaScript the menu simply stays open (the button stays hidden).
(function () {
  "use strict";
  var header = document.querySelector(".site-header");
  var button = header && header.querySelector(".menu-button");
  if (!button) { return; }
  header.classList.add("js-menu");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("menu-open", open);
  });
})();
