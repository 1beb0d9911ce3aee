// FairPanel's only script: small improvements; every page works without it.
(function () {
  "use strict";
  // Move focus to the error summary so screen reader and keyboard users hear it first.
  var summary = document.querySelector("[data-module='error-summary']");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      var legend = field.closest("fieldset") && field.closest("fieldset").querySelector("legend");
      (legend || field).scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }
})();

// Warn before the session runs out, with a way to extend it (WCAG 2.2.1). Saved
// answers are never lost: signing in again brings the panellist back to this page.
// A session also ends a fixed time after signing in, however busy (a security limit
// that cannot be extended): that end is announced the same way, without the button.
(function () {
  "use strict";
  var body = document.body;
  var seconds = parseInt(body.getAttribute("data-session-seconds"), 10);
  if (!seconds || !window.fetch) return;
  var endsIn = parseInt(body.getAttribute("data-session-ends-in"), 10);
  var endsAt = isNaN(endsIn) ? Infinity : Date.now() + endsIn * 1000;
  var WARN_BEFORE = 120;
  var token = document.querySelector("meta[name='csrf-token']");
  // The words, in the page's language, from base.html's data-timeout-* attributes.
  function words(name, english) { return body.getAttribute("data-timeout-" + name) || english; }
  var warning = null, signOutTimer = null, warnTimer = null;

  function final() { return (endsAt - Date.now()) / 1000 <= seconds; }

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(signOutTimer);
    var left = Math.min(seconds, (endsAt - Date.now()) / 1000);
    warnTimer = setTimeout(warn, Math.max(left - WARN_BEFORE, 5) * 1000);
    signOutTimer = setTimeout(signedOut, left * 1000);
  }

  function banner(text) {
    if (!warning) {
      warning = document.createElement("div");
      warning.className = "fp-notification fp-timeout";
      warning.setAttribute("role", "alert");
      var main = document.getElementById("main-content");
      main.insertBefore(warning, main.firstChild);
    }
    warning.textContent = "";
    var p = document.createElement("p");
    p.className = "fp-notification__heading fp-timeout__text";
    p.textContent = text;
    warning.appendChild(p);
    return warning;
  }

  function warn() {
    if (final()) {
      banner(words("final", "For your safety, you will be signed out in 2 minutes, as " +
                   "everyone is after a while. Anything you have saved is kept, and you " +
                   "can sign in again straight away."));
      return;
    }
    var box = banner(words("warning", "For your safety, you will be signed out in 2 " +
                           "minutes. Anything you have saved is kept."));
    var button = document.createElement("button");
    button.type = "button";
    button.className = "fp-button fp-u-mb-0";
    button.textContent = words("stay", "Stay signed in");
    button.addEventListener("click", stay);
    box.appendChild(button);
    button.focus();
  }

  function stay() {
    fetch(body.getAttribute("data-keep-alive-url"), {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.content : "" }
    }).then(function (response) {
      if (!response.ok) throw new Error("not renewed");
      warning.parentNode.removeChild(warning);
      warning = null;
      schedule();
    }).catch(signedOut);
  }

  function signedOut() {
    clearTimeout(warnTimer);
    var box = banner(words("signed-out", "You have been signed out. Anything you saved is " +
                           "kept."));
    var link = document.createElement("a");
    link.className = "fp-link";
    link.href = body.getAttribute("data-sign-in-url");
    link.textContent = words("sign-in", "Sign in again to carry on where you were");
    box.appendChild(link);
  }

  schedule();
})();
