// The shared screen's keys for the chair: N moves to the next application, F toggles full
// screen. "Next" is sent in the background so a full-screen projector stays full screen;
// the live region then shows the new item. Without JavaScript the button still works.
(function () {
  "use strict";
  var form = document.querySelector("[data-screen-next]");
  var full = document.querySelector("[data-screen-full]");

  function current() {
    var region = document.querySelector("[data-live-url]");
    var first = region && region.firstElementChild;
    return first ? first.getAttribute("data-item") : "";
  }

  function next() {
    if (!form || !window.fetch) { if (form) form.submit(); return; }
    var ref = current();
    if (!ref) return;
    form.elements.application.value = ref;
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" });
  }

  function toggleFull() {
    if (!document.fullscreenEnabled) return;
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen();
  }

  if (form) form.addEventListener("submit", function (event) { event.preventDefault(); next(); });
  if (full && document.fullscreenEnabled) {
    full.hidden = false;
    full.addEventListener("click", toggleFull);
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") return;
    var key = event.key.toLowerCase();
    if (key === "n") { event.preventDefault(); next(); }
    if (key === "f") { event.preventDefault(); toggleFull(); }
  });
})();
