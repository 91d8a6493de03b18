/* Clerk's desk extras; every form works without this file. */
(function () {
  "use strict";
  // <form data-confirm="…">: ask once before an action villagers will see (withdraw, discard).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  }, true);
  // Show the chosen file's name and size next to an upload field, so the clerk sees what will be sent.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "file" || !input.files || !input.files[0]) { return; }
    var note = input.nextElementSibling && input.nextElementSibling.classList.contains("file-note")
      ? input.nextElementSibling : null;
    if (!note) {
      note = document.createElement("p");
      note.className = "file-note";
      input.parentNode.insertBefore(note, input.nextSibling);
    }
    var file = input.files[0];
    note.textContent = "已选择：" + file.name + "（" + Math.max(1, Math.round(file.size / 1024)) + "KB）";
  });
})();
