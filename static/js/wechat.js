/* WeChat JS-SDK where it helps, inside WeChat only: the share card, 扫一扫 and the subscribe button.
   Loaded only on pages that ask for it (after the SDK); every page works without it. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="wx-config"]');
  if (!meta || !window.wx) { return; }
  var base = meta.getAttribute("data-base") || location.origin;

  function configure(c) {
    window.wx.config({debug: false, appId: c.app_id, timestamp: c.timestamp, nonceStr: c.nonce_str,
      signature: c.signature, jsApiList: c.js_api_list, openTagList: c.open_tag_list});
  }

  function share() {
    var card = document.querySelector('meta[name="wx-share"]');
    if (!card) { return; }
    var data = {title: card.getAttribute("data-title"), desc: card.getAttribute("data-desc"),
      link: card.getAttribute("data-link"), imgUrl: card.getAttribute("data-image")};
    window.wx.updateAppMessageShareData(data);
    window.wx.updateTimelineShareData({title: data.title, link: data.link, imgUrl: data.imgUrl});
  }

  function scanButtons() {
    var buttons = document.querySelectorAll("[data-wx-scan]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (event) {
        var button = event.currentTarget;
        event.preventDefault();
        window.wx.scanQRCode({needResult: 1, scanType: ["qrCode"], success: function (res) {
          var text = String(res.resultStr || "");
          if (text.indexOf(base + "/") === 0) { location.href = text; return; }
          var note = document.getElementById(button.getAttribute("data-wx-scan"));
          if (note) { note.hidden = false; }
        }, fail: function () { location.href = button.href; }});
      });
    }
  }

  function subscribeBox() {
    var box = document.getElementById("subscribe-box");
    var tag = document.getElementById("wx-subscribe");
    if (!box || !tag) { return; }
    box.hidden = false;
    var kinds = JSON.parse(box.getAttribute("data-kinds") || "{}");
    var result = document.getElementById("subscribe-result");
    tag.addEventListener("success", function (event) {
      var details = {};
      try { details = JSON.parse(event.detail.subscribeDetails || "{}"); } catch (e) { details = {}; }
      var accepted = [];
      Object.keys(details).forEach(function (template) {
        var state = details[template];
        try { state = JSON.parse(state).status; } catch (e) { /* already a plain word */ }
        if (state === "accept" && kinds[template]) { accepted.push(kinds[template]); }
      });
      if (!accepted.length) { result.textContent = "没有订阅。以后想收，可以在“我的 → 消息提醒”里再订阅。"; result.hidden = false; return; }
      fetch(box.getAttribute("data-url"), {method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": box.getAttribute("data-csrf")},
        body: JSON.stringify({kinds: accepted})}).then(function (answer) {
        result.textContent = answer.ok ? "已订阅：案件每到一步，微信会通知您。" : "没有记下订阅，请稍后在“我的 → 消息提醒”里再试。";
        result.hidden = false;
      });
    });
    tag.addEventListener("error", function () {
      result.textContent = "微信没有打开订阅，请稍后在“我的 → 消息提醒”里再试。";
      result.hidden = false;
    });
  }

  window.wx.ready(function () { share(); scanButtons(); subscribeBox(); });
  fetch(meta.getAttribute("content") + "?url=" + encodeURIComponent(location.href.split("#")[0]),
        {credentials: "same-origin"}).then(function (answer) {
    if (answer.ok) { answer.json().then(configure); }
  });
})();
