// run.js makes a chapter page's code cells runnable when the page comes
// from "go run build.go serve". The page shares one kernel session: cells
// run in the order the reader runs them and build on each other, as in a
// notebook. Outputs arrive as HTML rendered by the site's own renderer.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="sockbook-token"]');
  var cells = Array.prototype.slice.call(document.querySelectorAll(".cell.code-cell"));
  if (!meta || cells.length === 0) return;
  var token = meta.content;
  var base = "/__kernel/sessions";
  var session = null;   // a promise of the session id, made on the first run
  var queue = Promise.resolve();
  var state = "not started";

  function post(path, body, signal) {
    return fetch(base + path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Sockbook-Token": token },
      body: JSON.stringify(body || {}),
      signal: signal
    });
  }

  async function check(resp) {
    if (!resp.ok) throw new Error((await resp.text()).trim() || resp.statusText);
    return resp;
  }

  function sessionID() {
    if (!session) {
      setState("starting");
      session = post("").then(check).then(function (r) { return r.json(); }).then(function (j) {
        setState("idle");
        return j.id;
      }, function (err) {
        session = null;
        setState("not started");
        throw err;
      });
    }
    return session;
  }

  // The kernel bar: state, Interrupt, Restart.
  var bar = document.createElement("div");
  bar.className = "live-bar";
  bar.setAttribute("role", "region");
  bar.setAttribute("aria-label", "Kernel");
  bar.innerHTML = '<span class="live-state" role="status" aria-live="polite"></span>' +
    '<button type="button" class="live-interrupt">Interrupt</button>' +
    '<button type="button" class="live-restart">Restart</button>';
  document.body.appendChild(bar);
  var stateEl = bar.querySelector(".live-state");

  function setState(s, message) {
    state = s;
    stateEl.textContent = "Kernel: " + s + (message ? " \u2014 " + message : "");
    bar.dataset.state = s.split(" ")[0];
  }
  setState("not started", "Run a cell (Shift-Enter) to start one");

  bar.querySelector(".live-interrupt").addEventListener("click", function () {
    if (!session) return;
    session.then(function (id) { return post("/" + id + "/interrupt").then(check); })
      .catch(function (err) { setState(state, err.message); });
  });
  bar.querySelector(".live-restart").addEventListener("click", function () {
    if (!session) return;
    setState("restarting");
    session.then(function (id) { return post("/" + id + "/restart").then(check); })
      .then(function () {
        setState("idle", "restarted: every variable is gone");
        cells.forEach(function (c) {
          delete c.dataset.count;
          c.classList.remove("live-dead");
          var n = c.querySelector(".live-count");
          if (n) n.textContent = "";
        });
      }, function (err) { setState("dead", err.message); });
  });

  // Keep the session alive while the page is open, and notice a dead kernel.
  setInterval(function () {
    if (!session) return;
    session.then(function (id) { return post("/" + id + "/ping").then(check); })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        if (j.state === "dead" && state !== "dead") setState("dead", "the kernel process exited; Restart starts a new one");
      }, function (err) { setState("dead", err.message); });
  }, 5000);
  window.addEventListener("pagehide", function () {
    if (!session) return;
    session.then(function (id) {
      navigator.sendBeacon(base + "/" + id + "/close", new Blob([JSON.stringify({ token: token })], { type: "application/json" }));
    });
  });

  function source(cell) {
    return cell.querySelector("pre code").textContent;
  }

  // run queues cell after the cells already queued and resolves when it
  // has finished.
  function run(cell) {
    cell.classList.add("live-queued");
    queue = queue.then(function () { return execute(cell); }, function () { return execute(cell); });
    return queue;
  }

  async function execute(cell) {
    cell.classList.remove("live-queued");
    cell.classList.add("live-running");
    var outs = [];
    var anchor = cell.querySelector(".code");
    cell.querySelectorAll(".output").forEach(function (o) { o.remove(); });
    try {
      var id = await sessionID();
      setState("busy");
      var resp = await check(await post("/" + id + "/execute", { code: source(cell) }));
      var reader = resp.body.getReader();
      var decoder = new TextDecoder();
      var buf = "";
      for (;;) {
        var chunk = await reader.read();
        if (chunk.done) break;
        buf += decoder.decode(chunk.value, { stream: true });
        var end;
        while ((end = buf.indexOf("\n\n")) >= 0) {
          handle(cell, anchor, outs, buf.slice(0, end));
          buf = buf.slice(end + 2);
        }
      }
      if (state === "busy") setState("idle");
    } catch (err) {
      show(cell, anchor, outs, outs.length, '<div class="output error live-note"><span class="out-label">error</span><pre tabindex="0"></pre></div>');
      outs[outs.length - 1].querySelector("pre").textContent = err.message;
      if (state !== "dead") setState("idle");
    } finally {
      cell.classList.remove("live-running");
      cell.dataset.runs = String(Number(cell.dataset.runs || 0) + 1); // for tests and styles: this cell has run n times
    }
  }

  function handle(cell, anchor, outs, text) {
    var name = "", data = "";
    text.split("\n").forEach(function (line) {
      if (line.indexOf("event: ") === 0) name = line.slice(7);
      else if (line.indexOf("data: ") === 0) data += line.slice(6);
    });
    var d = data ? JSON.parse(data) : {};
    if (name === "output") {
      show(cell, anchor, outs, d.index, d.html);
    } else if (name === "end") {
      cell.dataset.count = d.execution_count || "";
      cell.querySelector(".live-count").textContent = d.execution_count ? "[" + d.execution_count + "]" : "";
      cell.dataset.status = d.status;
      if (d.message) setState("idle", d.message);
    } else if (name === "dead") {
      cell.classList.add("live-dead");
      setState("dead", d.message);
    }
  }

  // show puts the HTML of output i in place, after the code or output i-1.
  function show(cell, anchor, outs, i, html) {
    var t = document.createElement("template");
    t.innerHTML = html.trim();
    var el = t.content.firstElementChild;
    if (outs[i]) {
      outs[i].replaceWith(el);
    } else {
      (outs[i - 1] || anchor).after(el);
    }
    outs[i] = el;
  }

  cells.forEach(function (cell, n) {
    var code = cell.querySelector("pre code");
    if (!code) return;
    code.setAttribute("contenteditable", "plaintext-only");
    code.setAttribute("spellcheck", "false");
    code.setAttribute("aria-label", "Go code of cell " + (n + 1) + ", editable; Shift-Enter runs it");
    var tools = document.createElement("div");
    tools.className = "live-tools";
    tools.innerHTML = '<button type="button" class="live-run" title="Run this cell (Shift-Enter)">\u25B6 Run</button>' +
      '<button type="button" class="live-above" title="Run every cell above this one, then this one">Run all above</button>' +
      '<span class="live-count" title="execution count"></span>';
    cell.insertBefore(tools, cell.firstChild);
    tools.querySelector(".live-run").addEventListener("click", function () { run(cell); });
    tools.querySelector(".live-above").addEventListener("click", function () {
      for (var i = 0; i <= n; i++) run(cells[i]);
    });
    code.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && e.shiftKey) {
        e.preventDefault();
        run(cell);
      }
    });
  });
})();
