/* Every question on one page (templates/scoring/sheet.html): typing a number chooses
   that score in the question you are on (the first unanswered one when you are on none)
   and moves you to the next question, then to the comment box. Arrow keys, Tab and
   clicks work as usual; nothing happens while you type in a text box. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-number-keys]");
  if (!form) return;
  var groups = Array.prototype.slice.call(form.querySelectorAll("fieldset"))
    .filter(function (group) { return group.querySelector("input[type=radio]"); });

  function groupOf(element) {
    for (var i = 0; i < groups.length; i++) {
      if (groups[i].contains(element)) return i;
    }
    return -1;
  }

  function firstUnanswered() {
    for (var i = 0; i < groups.length; i++) {
      if (!groups[i].querySelector("input[type=radio]:checked")) return i;
    }
    return -1;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (!/^[0-9]$/.test(event.key)) return;
    var target = event.target;
    if (target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" &&
                   target.type !== "radio" && target.type !== "checkbox")) return;
    var index = groupOf(target);
    if (index < 0) index = firstUnanswered();
    if (index < 0) return;
    var radio = groups[index].querySelector("input[type=radio][value='" + event.key + "']");
    if (!radio) return;
    event.preventDefault();
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    var next = groups[index + 1];
    if (next) {
      (next.querySelector("input[type=radio]:checked") ||
       next.querySelector("input[type=radio]")).focus();
    } else {
      var comment = form.querySelector("textarea");
      if (comment) comment.focus();
    }
  });
}());
