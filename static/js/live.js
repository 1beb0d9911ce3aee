// Keeps a meeting page up to date without a reload. Each [data-live-url] region asks its
// address again with ?since=<version> about once a second; the server answers 204 when
// nothing changed (a few bytes), or the region's new HTML. Without JavaScript, reloading
// the page shows the same thing. Polling stops while the page is hidden, and slows down
// when the connection fails, so a phone on patchy data is not drained.
(function () {
  "use strict";
  if (!window.fetch || !window.URL) return;
  var FAST = 1000, SLOWEST = 15000;

  function follow(region) {
    var version = region.getAttribute("data-live-version");
    var announce = document.querySelector("[data-live-announce]");
    var delay = FAST, timer = null, busy = false, stopped = false;

    function item(root) {
      var first = root.firstElementChild;
      return first ? first.getAttribute("data-item") : null;
    }

    function formsDirty(forms) {
      return forms.some(function (form) {
        return Array.prototype.some.call(form.elements, function (el) {
          if (el.type === "radio" || el.type === "checkbox") return el.checked !== el.defaultChecked;
          if (el.tagName === "TEXTAREA" || el.type === "text") return el.value !== el.defaultValue;
          return false;
        });
      });
    }

    function update(html, newVersion) {
      var before = item(region);
      var focused = document.activeElement && region.contains(document.activeElement)
        ? document.activeElement.id : null;
      region.innerHTML = html;
      version = newVersion;
      var now = item(region);
      var first = region.firstElementChild;
      var words = first ? first.getAttribute("data-announce") : "";
      if (announce && words && before !== now) {
        announce.textContent = "";
        window.setTimeout(function () { announce.textContent = words; }, 50);
      }
      if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
      // Forms bound to the item that was open (the chair's outcome) follow the meeting:
      // reload when nothing has been typed, so a form never records against the wrong item.
      var bound = Array.prototype.slice.call(document.querySelectorAll("form[data-live-reload]"));
      var stale = bound.filter(function (form) { return form.getAttribute("data-item") !== now; });
      var nowhere = !bound.length && document.querySelector("[data-live-reload-empty]");
      if ((stale.length && !formsDirty(stale)) || (now && nowhere)) window.location.reload();
    }

    function poll() {
      timer = null;
      if (busy || stopped || document.hidden) return;
      busy = true;
      var url = new URL(region.getAttribute("data-live-url"), window.location.href);
      url.searchParams.set("since", version);
      fetch(url.toString(), { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) {
          if (response.status === 204) return null;
          if (!response.ok) {
            // Signed out, or the page is gone: stop asking, a reload will explain.
            if (response.status >= 400 && response.status < 500) stopped = true;
            throw new Error("HTTP " + response.status);
          }
          var next = response.headers.get("X-Live-Version");
          return response.text().then(function (html) { update(html, next); });
        })
        .then(function () { delay = FAST; })
        .catch(function () { delay = Math.min(delay * 2, SLOWEST); })
        .then(function () { busy = false; schedule(); });
    }

    function schedule() {
      if (!timer && !stopped) timer = window.setTimeout(poll, delay);
    }

    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) { delay = FAST; if (timer) { window.clearTimeout(timer); timer = null; } poll(); }
    });
    schedule();
  }

  document.querySelectorAll("[data-live-url]").forEach(follow);
})();
