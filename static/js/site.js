// Flipside: the few lines of script the pages use; every page works without them.
// After a failed submit, focus moves to the error summary (WCAG 3.3.1); after an
// action, to its status message, so that screen readers read it (4.1.3). Each summary link
// puts focus on its field and shows the field's question. Without script the page still works:
// the links are ordinary in-page links.
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  var status = document.querySelector(".flashes");
  if (summary) {
    summary.focus();
  } else if (status) {
    status.focus();
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('.error-summary a[href^="#"]');
    if (!link) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) {
      return;
    }
    event.preventDefault();
    var group = target.closest("fieldset");
    var question = (group && group.querySelector("legend")) ||
      document.querySelector('label[for="' + target.id + '"]') || target;
    question.scrollIntoView();
    target.focus({ preventScroll: true });
  });
})();

// A table or chart wider than the screen scrolls in its own frame: keyboard users can reach
// and scroll it (WCAG 2.1.1), and it is announced by its name.
(function () {
  "use strict";
  function reachable() {
    var frames = document.querySelectorAll(".table, .prose table, .grid-wrap, .chart-frame");
    Array.prototype.forEach.call(frames, function (frame) {
      var scrolls = frame.scrollWidth > frame.clientWidth + 1;
      if (scrolls && !frame.hasAttribute("tabindex")) {
        frame.setAttribute("tabindex", "0");
        if (frame.tagName !== "TABLE") {
          var named = frame.querySelector("caption, desc");
          frame.setAttribute("role", "region");
          frame.setAttribute("aria-label", (named ? named.textContent : "Scrolling area").trim());
        }
      } else if (!scrolls && frame.getAttribute("tabindex") === "0") {
        frame.removeAttribute("tabindex");
        frame.removeAttribute("role");
        frame.removeAttribute("aria-label");
      }
    });
  }
  reachable();
  window.addEventListener("resize", reachable);
})();

// Character count (GOV.UK's pattern): the hint under a long text field counts down as people
// type; screen readers hear the count once typing pauses, not at every key.
(function () {
  "use strict";
  var fields = document.querySelectorAll("textarea[data-limit]");
  Array.prototype.forEach.call(fields, function (field) {
    var limit = parseInt(field.getAttribute("data-limit"), 10);
    var hint = document.getElementById(field.id + "-count");
    if (!hint || !limit) {
      return;
    }
    var spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    hint.parentNode.insertBefore(spoken, hint.nextSibling);
    var timer = null;
    function message() {
      var left = limit - field.value.length;
      var n = Math.abs(left).toLocaleString("en");
      var word = Math.abs(left) === 1 ? " character" : " characters";
      return left >= 0 ? "You have " + n + word + " remaining" : "You have " + n + word + " too many";
    }
    function update() {
      hint.textContent = message();
      hint.classList.toggle("character-count--over", field.value.length > limit);
      clearTimeout(timer);
      timer = setTimeout(function () { spoken.textContent = message(); }, 1000);
    }
    field.addEventListener("input", update);
    if (field.value) {
      update();
    }
  });
})();
