// vigie courses: the course bar of module pages, "mark as done", progress
// kept in this browser (localStorage, nothing is sent anywhere), and the
// self-check questions. No dependency; works from file://.
(function () {
  "use strict";
  var STORE = "vigie-course-progress";
  var memory = {};
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  // Progress: { "<course key>": { "<module page>": 1, … }, … }
  function load() {
    try {
      var v = JSON.parse(localStorage.getItem(STORE) || "{}");
      return v && typeof v === "object" ? v : {};
    } catch (e) { return memory; }
  }
  function save(all) {
    memory = all;
    try { localStorage.setItem(STORE, JSON.stringify(all)); } catch (e) { /* storage refused: kept for this page only */ }
  }
  function doneIn(course) { return load()[course] || {}; }
  function setDone(course, module, done) {
    var all = load();
    var c = all[course] || {};
    if (done) { c[module] = 1; } else { delete c[module]; }
    all[course] = c;
    save(all);
  }
  function modulesOf(el) {
    try { return JSON.parse(el.getAttribute("data-modules") || "[]"); } catch (e) { return []; }
  }
  function countDone(course, modules) {
    var d = doneIn(course);
    return modules.filter(function (m) { return d[m]; }).length;
  }
  function showProgress(box, course, modules) {
    var n = countDone(course, modules);
    each(box.querySelectorAll("progress"), function (p) { p.max = modules.length; p.value = n; });
    each(box.querySelectorAll(".course-progress-text"), function (t) { t.textContent = n + " / " + modules.length; });
    return n;
  }

  // Course bars of a module page: the course named by ?course= wins (links
  // from a course carry it), else the bar the build marked as shown.
  var bars = Array.prototype.slice.call(document.querySelectorAll(".course-bar[data-course]"));
  if (bars.length) {
    var wanted = null;
    try { wanted = new URLSearchParams(window.location.search).get("course"); } catch (e) { /* old browser */ }
    var keys = bars.map(function (b) { return b.getAttribute("data-course"); });
    var active = wanted && keys.indexOf(wanted) >= 0 ? wanted : null;
    if (!active) {
      var visible = bars.filter(function (b) { return !b.hidden; })[0];
      active = visible ? visible.getAttribute("data-course") : null;
    }
    var refresh = function () {
      bars.forEach(function (bar) {
        var course = bar.getAttribute("data-course");
        var module = bar.getAttribute("data-module");
        var done = !!doneIn(course)[module];
        var button = bar.querySelector(".course-done");
        bar.hidden = course !== active;
        bar.classList.toggle("is-done", done);
        if (button) {
          button.hidden = false;
          button.setAttribute("aria-pressed", done ? "true" : "false");
          button.textContent = button.getAttribute(done ? "data-marked" : "data-mark");
        }
        showProgress(bar, course, modulesOf(bar));
      });
    };
    bars.forEach(function (bar) {
      var button = bar.querySelector(".course-done");
      if (!button) return;
      button.addEventListener("click", function () {
        var course = bar.getAttribute("data-course");
        var done = button.getAttribute("aria-pressed") !== "true";
        setDone(course, bar.getAttribute("data-module"), done);
        refresh();
      });
    });
    refresh();
  }

  // Course page and list of courses: progress, done modules, "continue".
  each(document.querySelectorAll(".course-summary[data-course]"), function (box) {
    var course = box.getAttribute("data-course");
    var modules = modulesOf(box);
    var n = showProgress(box, course, modules);
    var start = box.querySelector(".course-start");
    if (!start || !n) return;
    var done = doneIn(course);
    var next = null;
    each(document.querySelectorAll(".course-module[data-module]"), function (li) {
      if (!next && !done[li.getAttribute("data-module")]) next = li.querySelector("a");
    });
    if (next) {
      start.href = next.getAttribute("href");
      start.textContent = box.getAttribute("data-continue") + " — " + next.textContent;
    } else {
      start.textContent = box.getAttribute("data-done-all");
    }
  });
  each(document.querySelectorAll(".course-module[data-module]"), function (li) {
    var summary = document.querySelector(".course-summary[data-course]");
    if (!summary) return;
    var done = !!doneIn(summary.getAttribute("data-course"))[li.getAttribute("data-module")];
    li.classList.toggle("is-done", done);
    var label = li.querySelector(".course-done-label");
    if (label) label.textContent = done ? " (" + (summary.getAttribute("data-done-label") || "✓") + ")" : "";
  });
  each(document.querySelectorAll(".course-prereq[data-course]"), function (a) {
    var modules = modulesOf(a);
    var n = countDone(a.getAttribute("data-course"), modules);
    var out = a.nextElementSibling;
    if (out && out.classList.contains("course-prereq-progress")) out.textContent = "(" + n + " / " + modules.length + ")";
  });

  // Self-check questions.
  each(document.querySelectorAll(".quiz[data-quiz]"), function (quiz, n) {
    var inputs = quiz.querySelectorAll("input");
    var button = quiz.querySelector(".quiz-check");
    var feedback = quiz.querySelector(".quiz-feedback");
    var explanation = quiz.querySelector(".quiz-explanation");
    if (!button || !feedback) return;
    // One group per question, also when a printable course holds several modules.
    each(inputs, function (i) { i.name = "vigie-quiz-" + n; });
    button.hidden = false;
    var reset = function () {
      quiz.classList.remove("is-checked", "is-right", "is-wrong");
      each(quiz.querySelectorAll(".quiz-answer"), function (li) { li.classList.remove("is-correct", "is-wrong"); });
      feedback.textContent = "";
    };
    each(inputs, function (i) { i.addEventListener("change", reset); });
    button.addEventListener("click", function () {
      var any = false;
      var right = true;
      each(inputs, function (i) {
        if (i.checked) any = true;
        if (i.checked !== i.hasAttribute("data-correct")) right = false;
      });
      if (!any) { feedback.textContent = quiz.getAttribute("data-empty"); return; }
      quiz.classList.add("is-checked");
      quiz.classList.toggle("is-right", right);
      quiz.classList.toggle("is-wrong", !right);
      each(inputs, function (i) {
        var li = i.closest(".quiz-answer");
        if (!li) return;
        if (i.hasAttribute("data-correct")) li.classList.add("is-correct");
        else if (i.checked) li.classList.add("is-wrong");
      });
      feedback.textContent = quiz.getAttribute(right ? "data-right" : "data-wrong");
      if (explanation) explanation.open = true;
    });
  });

  // Printable course.
  each(document.querySelectorAll(".print-now"), function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  // The answer key is for the trainer: hidden (so neither shown nor printed)
  // until « print the answer key » is ticked. Without JavaScript it stays shown.
  var key = document.querySelector("[data-answer-key]");
  var keyBox = document.querySelector(".print-key-box");
  if (key && keyBox) {
    var showKey = function () { key.hidden = !keyBox.checked; };
    keyBox.parentNode.hidden = false;
    // The browser may restore a ticked box on reload: follow it.
    keyBox.addEventListener("change", showKey);
    showKey();
  }
})();
