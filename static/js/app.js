/* Progressive extras; every page works without this file. */
(function () {
  "use strict";
  // The village home names its village: remembered for the tab bar of pages without one in the URL.
  // (Set here, not by the server, so the page itself carries no cookie and a shared cache can keep it.)
  var village = document.body && document.body.getAttribute("data-remember-village");
  if (village && document.cookie.indexOf("village=" + village) === -1) {
    document.cookie = "village=" + encodeURIComponent(village) + "; max-age=31536000; path=/; samesite=lax" +
      (location.protocol === "https:" ? "; secure" : "");
  }
  // Copy buttons: <button data-copy="#id">. Falls back to selecting the text.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) { return; }
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) { return; }
    var text = source.textContent.trim();
    var done = function () { button.textContent = "已复制"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { selectText(source); });
    } else {
      selectText(source);
      try { if (document.execCommand("copy")) { done(); } } catch (e) { /* user copies by hand */ }
    }
  });
  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }
  // Forms marked data-once disable their submit after the first tap (the server also dedupes).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-once")) {
      if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
      form.setAttribute("data-sent", "1");
      var buttons = form.querySelectorAll("button[type=submit]");
      for (var i = 0; i < buttons.length; i++) { buttons[i].setAttribute("aria-busy", "true"); }
    }
  });
  // Forms marked data-autosubmit send themselves once a photo is taken (扫一扫 outside WeChat).
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type === "file" && input.form && input.form.hasAttribute("data-autosubmit") && input.files.length) {
      input.form.submit();
    }
  });
})();
