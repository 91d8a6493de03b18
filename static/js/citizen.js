/* Report form extras: a character counter, the number of photos chosen, and shrinking big photos
   before upload (≤ 1600 px JPEG) so a slow link carries less. The form works without this file,
   and any failure here sends the photos as chosen: the server cleans them anyway. */
(function () {
  "use strict";
  var MAX_SIDE = 1600, SHRINK_OVER = 1500000;
  var text = document.getElementById("content");
  var count = document.getElementById("content-count");
  if (text && count) {
    var update = function () { count.textContent = Array.from(text.value).length; };
    text.addEventListener("input", update);
    update();
  }
  // Irreversible staff actions ask once (forms marked data-confirm).
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  }, true);
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var note = document.getElementById("photo-count");
  var inputs = form.querySelectorAll("input[type=file]");
  var show = function () {
    var n = 0;
    for (var i = 0; i < inputs.length; i++) { n += inputs[i].files ? inputs[i].files.length : 0; }
    if (note) { note.textContent = n > 6 ? "最多6张，请少选几张。" : (n ? "已选" + n + "张照片。" : "照片里的位置等信息会自动去掉。"); }
  };
  for (var i = 0; i < inputs.length; i++) { inputs[i].addEventListener("change", show); }

  var canShrink = window.DataTransfer && window.createImageBitmap && HTMLCanvasElement.prototype.toBlob;
  var shrink = function (file) {
    if (!/^image\//.test(file.type) || file.size < SHRINK_OVER) { return Promise.resolve(file); }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          resolve(blob && blob.size < file.size ? new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg",
            { type: "image/jpeg" }) : file);
        }, "image/jpeg", 0.85);
      });
    }).catch(function () { return file; });
  };
  var ready = false;
  form.addEventListener("submit", function (event) {
    if (ready || !canShrink) { return; }
    event.preventDefault();
    if (form.getAttribute("data-shrinking")) { return; }
    form.setAttribute("data-shrinking", "1");
    if (note) { note.textContent = "正在压缩照片…"; }
    var jobs = Array.prototype.map.call(inputs, function (input) {
      return Promise.all(Array.from(input.files || []).map(shrink)).then(function (files) {
        var list = new DataTransfer();
        files.forEach(function (f) { list.items.add(f); });
        input.files = list.files;
      });
    });
    Promise.all(jobs).catch(function () { /* send what we have */ }).then(function () {
      ready = true;
      form.submit();
    });
  });
})();
