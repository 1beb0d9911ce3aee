// Keeps a background job's progress bar live. Without JavaScript the page's own link
// (a reload) shows the same figures. Asks the job's JSON about once a second, more slowly
// when the connection fails or the page is hidden; reloads the page once the job has
// finished, to show its result.
(function () {
  "use strict";
  if (!window.fetch) return;
  var box = document.querySelector("[data-job-progress]");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  var stage = document.getElementById("job-stage");
  var bar = document.getElementById("job-bar");
  var count = document.getElementById("job-count");
  var FAST = 1000, SLOWEST = 15000, delay = FAST, lastStage = stage.textContent;

  function number(n) { return n.toLocaleString("en-GB"); }

  function show(data) {
    if (data.finished) { window.location.reload(); return false; }
    var words = data.state === "queued" ? "Waiting to start." : (data.stage || "Working") + "…";
    if (words !== lastStage) { stage.textContent = words; lastStage = words; }
    if (data.total) {
      bar.max = data.total;
      bar.value = data.done;
      bar.textContent = data.percent + "%";
      count.textContent = number(data.done) + " of " + number(data.total) + " (" + data.percent + "%)";
    }
    return true;
  }

  function poll() {
    if (document.hidden) { window.setTimeout(poll, SLOWEST); return; }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        delay = FAST;
        if (show(data)) window.setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, SLOWEST);
        window.setTimeout(poll, delay);
      });
  }
  window.setTimeout(poll, FAST);
})();
