/* A stand-in for WeChat's jweixin-1.6.0.js in a browser test: it records wx.config and the share cards,
   answers scanQRCode with window.__wxScanResult, and renders wx-open-subscribe as WeChat does (its
   template in a shadow root); a tap accepts every template, as a person tapping 允许 would. */
(function () {
  "use strict";
  var ready = [], configured = false;
  window.__wx = {config: null, shares: [], scans: []};
  window.wx = {
    config: function (c) {
      window.__wx.config = c;
      configured = true;
      setTimeout(function () { ready.forEach(function (f) { f(); }); }, 0);
    },
    ready: function (f) { if (configured) { setTimeout(f, 0); } else { ready.push(f); } },
    error: function () {},
    updateAppMessageShareData: function (d) { window.__wx.shares.push(d); },
    updateTimelineShareData: function (d) { window.__wx.shares.push(d); },
    scanQRCode: function (o) { window.__wx.scans.push(o); o.success({resultStr: window.__wxScanResult || ""}); }
  };
  customElements.define("wx-open-subscribe", class extends HTMLElement {
    connectedCallback() {
      var tag = this;
      var template = tag.querySelector('script[type="text/wxtag-template"]:not([slot])');
      tag.attachShadow({mode: "open"}).innerHTML = template ? template.textContent : "<button>订阅</button>";
      tag.addEventListener("click", function () {
        var details = {};
        tag.getAttribute("template").split(",").forEach(function (id) { details[id] = JSON.stringify({status: "accept"}); });
        tag.dispatchEvent(new CustomEvent("success", {detail: {subscribeDetails: JSON.stringify(details)}}));
      });
    }
  });
})();
