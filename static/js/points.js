/* Points pages, progressive: the number pad fills the plain input; the shop page polls a small JSON feed. */
(function () {
  "use strict";
  var pad = document.querySelector("[data-numpad]");
  if (pad) {
    var input = document.querySelector(pad.getAttribute("data-numpad"));
    pad.hidden = false;
    pad.addEventListener("click", function (event) {
      var key = event.target.getAttribute && event.target.getAttribute("data-key");
      if (!key || !input) { return; }
      if (key === "清空") { input.value = ""; }
      else if (key === "删除") { input.value = input.value.slice(0, -1); }
      else if (input.value.length < 6) { input.value = (input.value === "0" ? "" : input.value) + key; }
    });
  }

  var feed = document.querySelector("[data-feed]");
  if (!feed || !window.fetch) { return; }
  var list = document.getElementById("today-list");
  var latest = (function () { var first = list.querySelector("[data-id]"); return first ? +first.getAttribute("data-id") : 0; })();
  function row(item, isNew) {
    var cell = document.createElement("div");
    cell.className = "weui-cell redemption" + (item.reversed ? " redemption--reversed" : "") + (isNew ? " redemption--new" : "");
    cell.setAttribute("data-id", item.id);
    var bd = document.createElement("div"); bd.className = "weui-cell__bd";
    var chip = document.createElement("span"); chip.className = "confirm-chip"; chip.textContent = item.confirmation;
    bd.appendChild(chip); bd.appendChild(document.createTextNode(" " + item.villager + " · " + item.time));
    var ft = document.createElement("div"); ft.className = "weui-cell__ft";
    ft.textContent = item.points + " 分" + (item.reversed ? "（已撤销）" : "");
    cell.appendChild(bd); cell.appendChild(ft);
    return cell;
  }
  function poll() {
    if (document.hidden) { return; }
    fetch(feed.getAttribute("data-feed"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || data.latest_id === latest) { return; }
        list.textContent = "";
        data.items.forEach(function (item) { list.appendChild(row(item, item.id > latest)); });
        latest = data.latest_id;
        document.getElementById("today-count").textContent = data.count;
        document.getElementById("today-total").textContent = data.total;
      })
      .catch(function () { /* the next poll tries again */ });
  }
  setInterval(poll, 4000);
})();
