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

  // Anchor offset: the sticky header's real height, which wraps on narrow
  // screens, feeds scroll-padding-top (style.css) through --header-h.
  var header = document.querySelector(".top");
  function measureHeader() {
    doc.style.setProperty("--header-h", header.getBoundingClientRect().height + "px");
  }
  measureHeader();
  if (window.ResizeObserver) new ResizeObserver(measureHeader).observe(header);
  else window.addEventListener("resize", measureHeader);
  // A page opened at #anchor was scrolled before the height was known.
  if (location.hash) {
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) target.scrollIntoView();
  }

  // A ¶ link on every section heading, to copy or share its address.
  document.querySelectorAll(".content h2[id], .content h3[id]").forEach(function (h) {
    var a = document.createElement("a");
    a.className = "anchor";
    a.href = "#" + h.id;
    a.textContent = "¶";
    a.setAttribute("aria-label", "Link to this section: " + h.textContent);
    h.appendChild(a);
  });

  // The contents list marks the section being read.
  var tocLinks = {};
  document.querySelectorAll(".toc a[href^='#']").forEach(function (a) { tocLinks[decodeURIComponent(a.hash.slice(1))] = a; });
  var tocTargets = Object.keys(tocLinks).map(function (id) { return document.getElementById(id); }).filter(Boolean);
  function markCurrent() {
    var line = parseFloat(getComputedStyle(doc).scrollPaddingTop) || 0, current = null;
    for (var i = 0; i < tocTargets.length; i++) {
      if (tocTargets[i].getBoundingClientRect().top <= line + 8) current = tocTargets[i]; else break;
    }
    Object.keys(tocLinks).forEach(function (id) {
      if (current && id === current.id) tocLinks[id].setAttribute("aria-current", "location");
      else tocLinks[id].removeAttribute("aria-current");
    });
  }
  if (tocTargets.length) {
    var pending = false;
    window.addEventListener("scroll", function () {
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () { pending = false; markCurrent(); });
    }, { passive: true });
    markCurrent();
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

  // Downloads from file://: the browser would open the file, not save it.
  // Each downloadable file has a script twin (FILE.js, written by sitegen)
  // holding its text, saved here through a blob: URL.
  if (location.protocol === "file:") {
    document.querySelectorAll("a[download][data-file]").forEach(function (link) {
      link.addEventListener("click", function (e) {
        e.preventDefault();
        var name = link.dataset.file;
        function save() {
          var text = (window.sockbookFiles || {})[name];
          if (text === undefined) { location.href = link.href; return; }
          var url = URL.createObjectURL(new Blob([text], { type: "application/x-ipynb+json" }));
          var a = document.createElement("a");
          a.href = url;
          a.download = name.split("/").pop();
          document.body.appendChild(a);
          a.click();
          document.body.removeChild(a);
          setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
        }
        if (window.sockbookFiles && window.sockbookFiles[name] !== undefined) return save();
        var s = document.createElement("script");
        s.src = link.getAttribute("href") + ".js";
        s.onload = save;
        s.onerror = function () { location.href = link.href; };
        document.head.appendChild(s);
      });
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
  // The index holds one entry per section, built by sitegen:
  // [url, title, page, sub-headings, introduced identifiers, code identifiers, text].
  // Matches count at the start of a word (after a letter or digit nothing
  // matches), so "listen" finds net.Listen but not "glistening".
  var docs = null, avgLen = 1;
  var FIELDS = [[1, 12], [3, 9], [4, 7], [5, 3], [6, 1]]; // field, weight: title > heading > identifier introduced here > other code > text
  function prepare() {
    if (docs) return;
    var total = 0;
    docs = window.sockbookSearch.map(function (e) {
      total += e[6].length;
      return { e: e, low: e.map(function (f) { return f.toLowerCase(); }) };
    });
    avgLen = Math.max(1, total / docs.length);
  }
  function isWordChar(c) { return /[a-z0-9]/.test(c); }
  // count returns how many times term starts a word in s, up to max: a
  // whole word counts 1, the start of a longer one (net.ListenConfig for
  // net.listen) one half.
  function count(s, term, max) {
    var n = 0, i = s.indexOf(term);
    while (i >= 0 && n < max) {
      if (i === 0 || !isWordChar(s.charAt(i - 1))) n += isWordChar(s.charAt(i + term.length)) ? 0.5 : 1;
      i = s.indexOf(term, i + 1);
    }
    return n;
  }
  // best is 1 when term is a whole word of s, 0.5 when it only starts one.
  // In identifiers (ident true) a match after "_" is half a match too:
  // SYS_SETSOCKOPT names the system call, not the setsockopt lesson.
  function best(s, term, ident) {
    var b = 0, i = s.indexOf(term);
    while (i >= 0 && b < 1) {
      var prev = i === 0 ? "" : s.charAt(i - 1);
      if (!prev || !isWordChar(prev)) {
        var m = isWordChar(s.charAt(i + term.length)) ? 0.5 : 1;
        b = Math.max(b, ident && prev === "_" ? m / 2 : m);
      }
      i = s.indexOf(term, i + 1);
    }
    return b;
  }
  function score(d, term) {
    var total = 0;
    for (var k = 0; k < FIELDS.length; k++) {
      var f = FIELDS[k][0], s = d.low[f];
      if (f === 6) {
        // Text: saturating term frequency, shorter sections weigh more (BM25's shape).
        var n = count(s, term, 20);
        if (n) total += FIELDS[k][1] * 2.2 * n / (n + 1.2 * (0.25 + 0.75 * s.length / avgLen));
        continue;
      }
      var b = best(s, term, f >= 4);
      // copy_file_range is CopyFileRange in Go.
      if (!b && f >= 4 && term.indexOf("_") >= 0) b = best(s, term.replace(/_/g, ""), true);
      total += FIELDS[k][1] * b;
      if (f === 1 && s === term) total += 4;
    }
    return total;
  }
  function query(q) {
    prepare();
    var terms = q.toLowerCase().replace(/\(\)/g, " ").split(/\s+/).filter(Boolean);
    if (!terms.length) return [];
    var hits = [];
    for (var i = 0; i < docs.length; i++) {
      var sum = 0, all = true;
      for (var j = 0; j < terms.length && all; j++) {
        var s = score(docs[i], terms[j]);
        if (s > 0) sum += s; else all = false;
      }
      // The benchmarks measure what the chapters teach: a title there
      // ("sendfile against copy_file_range") must not outrank the lesson.
      if (docs[i].e[0].indexOf("benchmarks.html") === 0) sum /= 2;
      if (all) hits.push({ score: sum, order: i, e: docs[i].e });
    }
    hits.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return hits.slice(0, 20).map(function (h) { return { url: h.e[0], title: h.e[1], page: h.e[2], snippet: snippet(h.e, terms) }; });
  }
  window.sockbookQuery = query; // for the browser tests, which time it
  function escapeRE(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  // snippet returns about 160 characters of the entry's text around the
  // first match, split into [text, isMatch] pieces.
  function snippet(e, terms) {
    var text = e[6], re = new RegExp("(" + terms.map(escapeRE).join("|") + ")", "ig");
    var m = re.exec(text), from = 0;
    if (!m) {
      var names = (e[4] + " " + e[5]).split(" ").filter(function (n) { re.lastIndex = 0; return re.test(n); });
      if (names.length) text = names.slice(0, 6).join(" ");
    } else {
      from = Math.max(0, m.index - 50);
      var sp = text.lastIndexOf(" ", from);
      if (from > 0 && sp > from - 15) from = sp + 1;
    }
    var cut = text.slice(from, from + 160);
    var pieces = [], last = 0, r;
    re.lastIndex = 0;
    while ((r = re.exec(cut)) !== null && r[0]) {
      pieces.push([cut.slice(last, r.index), false], [r[0], true]);
      last = r.index + r[0].length;
    }
    pieces.push([cut.slice(last), false]);
    if (from > 0) pieces.unshift(["…", false]);
    if (from + 160 < text.length) pieces.push(["…", false]);
    return pieces;
  }
  function runSearch() {
    results.textContent = "";
    selected = -1;
    if (!window.sockbookSearch || !input.value.trim()) return;
    var hits = query(input.value);
    if (!hits.length) {
      var li = document.createElement("li");
      li.className = "empty";
      li.textContent = "Nothing matches.";
      results.appendChild(li);
      return;
    }
    hits.forEach(function (h) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = root + h.url;
      var title = document.createElement("span");
      title.className = "hit-title";
      title.textContent = h.title;
      a.appendChild(title);
      if (h.page) {
        var where = document.createElement("small");
        where.textContent = h.page;
        a.appendChild(where);
      }
      var p = document.createElement("span");
      p.className = "hit-snippet";
      h.snippet.forEach(function (piece) {
        if (piece[1]) {
          var mark = document.createElement("mark");
          mark.textContent = piece[0];
          p.appendChild(mark);
        } else p.appendChild(document.createTextNode(piece[0]));
      });
      a.appendChild(p);
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
