// sockbook reader features: theme toggle, search, copy buttons, quizzes,
// "lesson done" boxes and the mobile menu. Every page works without this
// file; it only adds comfort. No request leaves the site.
(function () {
  "use strict";
  var doc = document.documentElement;
  var root = document.body.dataset.root || "";

  function store(key, value) {
    try {
      if (value === undefined) return localStorage.getItem(key);
      if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value);
    } catch (e) { /* storage can be disabled, e.g. for file:// in some browsers */ }
    return null;
  }

  // Theme: follows the system until the reader picks one.
  var themeButton = document.querySelector(".theme-button");
  function isDark() {
    if (doc.dataset.theme) return doc.dataset.theme === "dark";
    return window.matchMedia("(prefers-color-scheme: dark)").matches;
  }
  function showTheme() {
    var dark = isDark();
    themeButton.setAttribute("aria-pressed", String(dark));
  }
  themeButton.hidden = false;
  showTheme();
  themeButton.addEventListener("click", function () {
    var next = isDark() ? "light" : "dark";
    doc.dataset.theme = next;
    store("sockbook-theme", next);
    showTheme();
  });
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", showTheme);

  // Mobile menu.
  var menu = document.querySelector(".menu-button");
  var sidebar = document.getElementById("sidebar");
  menu.hidden = false;
  menu.addEventListener("click", function () {
    var open = sidebar.classList.toggle("open");
    menu.setAttribute("aria-expanded", String(open));
  });

  // Copy buttons on code blocks (not on outputs).
  document.querySelectorAll(".code").forEach(function (block) {
    var pre = block.querySelector("pre");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy code");
    button.addEventListener("click", function () {
      var text = pre.innerText.replace(/\n$/, "");
      copy(text).then(function () {
        button.textContent = "Copied";
        button.classList.add("done");
        setTimeout(function () { button.textContent = "Copy"; button.classList.remove("done"); }, 2000);
      }, function () {
        button.textContent = "Press Ctrl+C";
        var range = document.createRange();
        range.selectNodeContents(pre);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        setTimeout(function () { button.textContent = "Copy"; }, 4000);
      });
    });
    block.appendChild(button);
  });
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return legacyCopy(text); });
    }
    return legacyCopy(text);
  }
  // file:// and plain http have no clipboard API: copy through a selection.
  function legacyCopy(text) {
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy refused"));
    });
  }

  // Quizzes: keep one answer per question open.
  document.querySelectorAll(".quiz-answers").forEach(function (list) {
    list.addEventListener("toggle", function (e) {
      if (!e.target.open) return;
      list.querySelectorAll("details[open]").forEach(function (d) { if (d !== e.target) d.open = false; });
    }, true);
  });

  // "Lesson done" boxes, remembered per lesson.
  document.querySelectorAll(".lesson-done").forEach(function (label) {
    var box = label.querySelector("input");
    var key = "sockbook-done:" + box.dataset.lesson;
    box.checked = store(key) === "1";
    box.addEventListener("change", function () { store(key, box.checked ? "1" : null); });
    label.hidden = false;
  });

  // Checklists: each box remembered per page and position.
  document.querySelectorAll("input.task").forEach(function (box, i) {
    var key = "sockbook-task:" + document.body.dataset.page + ":" + i;
    var saved = store(key);
    if (saved !== null) box.checked = saved === "1";
    box.addEventListener("change", function () { store(key, box.checked ? "1" : "0"); });
  });

  // Search: the index is a script, so it loads from file:// too.
  var dialog = document.querySelector("dialog.search");
  var input = document.getElementById("search-input");
  var results = dialog.querySelector(".search-results");
  var searchButton = document.querySelector(".search-button");
  var selected = -1;
  function loadIndex(then) {
    if (window.sockbookSearch) return then();
    var s = document.createElement("script");
    s.src = root + "search-index.js";
    s.onload = then;
    document.head.appendChild(s);
  }
  function openSearch() {
    if (!dialog.open) dialog.showModal();
    input.select();
    loadIndex(runSearch);
  }
  function runSearch() {
    var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    results.textContent = "";
    selected = -1;
    if (!terms.length || !window.sockbookSearch) return;
    var hits = [];
    window.sockbookSearch.forEach(function (e) {
      var title = e[0].toLowerCase(), hay = (e[0] + " " + e[2] + " " + e[3]).toLowerCase();
      if (!terms.every(function (t) { return hay.indexOf(t) >= 0; })) return;
      var score = 0;
      terms.forEach(function (t) {
        if (title.indexOf(t) === 0) score += 4; else if (title.indexOf(t) > 0) score += 2;
        if (e[3].toLowerCase().indexOf(t) >= 0) score += 3;
      });
      if (e[1].indexOf("#") < 0) score += 1;
      hits.push([score, e]);
    });
    hits.sort(function (a, b) { return b[0] - a[0]; });
    if (!hits.length) {
      var li = document.createElement("li");
      li.className = "empty";
      li.textContent = "No page or recipe matches.";
      results.appendChild(li);
      return;
    }
    hits.slice(0, 20).forEach(function (h) {
      var e = h[1], li = document.createElement("li"), a = document.createElement("a");
      a.href = root + e[1];
      a.textContent = e[0];
      if (e[2]) {
        var where = document.createElement("small");
        where.textContent = e[2];
        a.appendChild(where);
      }
      a.addEventListener("click", function () { dialog.close(); });
      li.appendChild(a);
      results.appendChild(li);
    });
  }
  function move(by) {
    var links = results.querySelectorAll("a");
    if (!links.length) return;
    if (selected >= 0) links[selected].removeAttribute("aria-selected");
    selected = (selected + by + links.length) % links.length;
    links[selected].setAttribute("aria-selected", "true");
    links[selected].scrollIntoView({ block: "nearest" });
  }
  searchButton.hidden = false;
  searchButton.addEventListener("click", openSearch);
  input.addEventListener("input", runSearch);
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { move(1); e.preventDefault(); }
    else if (e.key === "ArrowUp") { move(-1); e.preventDefault(); }
    else if (e.key === "Enter") {
      var links = results.querySelectorAll("a");
      var target = links[selected >= 0 ? selected : 0];
      if (target) { e.preventDefault(); dialog.close(); location.href = target.href; }
    }
  });
  dialog.addEventListener("click", function (e) { if (e.target === dialog) dialog.close(); });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
    e.preventDefault();
    openSearch();
  });
})();
