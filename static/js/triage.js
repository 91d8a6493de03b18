/* Desk extras; the page works without them (template links reload the page with the text filled in). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-template-body]");
    if (!link) { return; }
    var box = document.getElementById("text-answer");
    if (!box) { return; }
    event.preventDefault();
    box.value = link.getAttribute("data-template-body");
    box.focus();
  });
})();
