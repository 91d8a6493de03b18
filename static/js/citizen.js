/* Report form extras: a character counter and the number of photos chosen. The form works without this. */
(function () {
  "use strict";
  var text = document.getElementById("content");
  var count = document.getElementById("content-count");
  if (text && count) {
    var update = function () { count.textContent = Array.from(text.value).length; };
    text.addEventListener("input", update);
    update();
  }
  var note = document.getElementById("photo-count");
  var inputs = document.querySelectorAll(".report-form input[type=file]");
  var show = function () {
    var n = 0;
    for (var i = 0; i < inputs.length; i++) { n += inputs[i].files ? inputs[i].files.length : 0; }
    if (note) { note.textContent = n > 6 ? "最多6张，请少选几张。" : (n ? "已选" + n + "张照片。" : "照片里的位置等信息会自动去掉。"); }
  };
  for (var i = 0; i < inputs.length; i++) { inputs[i].addEventListener("change", show); }
})();
