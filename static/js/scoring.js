// Saves each answer in the background, so nothing is lost on a patchy connection.
// Without JavaScript, "Save and continue" saves: this only improves on it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) return;
  var status = form.querySelector("[data-save-status]");
  var version = form.querySelector("input[name='version']");
  var token = form.querySelector("input[name='csrf_token']");
  var criterion = form.getAttribute("data-criterion");
  var pending = Promise.resolve();
  var timer = null;
  var refused = false;  // the last save was refused: let the person see why first
  // The words, in the page's language, from the form's data-*-text attributes.
  function words(name, english) { return form.getAttribute("data-" + name + "-text") || english; }

  function say(text) {
    status.textContent = "";
    // A fresh text node each time, so screen readers announce it again.
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function answers() {
    var body = { version: Number(version.value || 0) };
    if (criterion) {
      var chosen = form.querySelector("input[name='score']:checked");
      if (!chosen) return null;
      body.scores = {};
      body.scores[criterion] = chosen.value;
    } else {
      body.comment = form.querySelector("textarea[name='comment']").value;
      var chairOnly = form.querySelector("input[name='for_chair']");
      if (chairOnly) body.for_chair = chairOnly.checked;
    }
    return body;
  }

  function showSaved(data) {
    version.value = data.version;
    if (criterion && data.scores) {
      var saved = data.scores[criterion];
      form.querySelectorAll("input[name='score']").forEach(function (radio) {
        radio.checked = radio.value === saved;
      });
    } else if (!criterion && typeof data.comment === "string") {
      form.querySelector("textarea[name='comment']").value = data.comment;
    }
  }

  function save() {
    var body = answers();
    if (!body) return pending;
    pending = pending.then(function () {
      body.version = Number(version.value || 0);
      say(words("saving", "Saving…"));
      return fetch(form.getAttribute("data-autosave"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token.value },
        body: JSON.stringify(body)
      }).then(function (response) {
        return response.json().then(function (data) {
          if (data.saved) {
            version.value = data.version;
            say(data.message || words("saved", "Saved"));
          } else {
            refused = true;
            if (data.version !== undefined) showSaved(data);
            say(data.message || words("refused", "Not saved. Try again."));
          }
        });
      }).catch(function () {
        say(words("offline", "Not saved yet: check your internet connection. Your answer is still on this page."));
      });
    });
    return pending;
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "score" || event.target.name === "for_chair") save();
  });
  form.addEventListener("input", function (event) {
    if (event.target.name !== "comment") return;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 1000);
  });
  // "Save and continue" waits for a background save still on its way, so the form
  // carries the newest version and is never refused as out of date.
  form.addEventListener("submit", function (event) {
    if (form.getAttribute("data-waited")) return;
    event.preventDefault();
    window.clearTimeout(timer);
    pending.then(function () {
      if (refused) { refused = false; return; }
      form.setAttribute("data-waited", "yes");
      // In a new task: the browser ignores a submit asked for during the first one.
      window.setTimeout(function () {
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }, 0);
    });
  });
})();
