// Answering a questionnaire: every answer saves itself as it is typed.
// - Each question saves on its own, a moment after the last keystroke, with the answer version it last saw.
// - If the connection drops, unsaved answers wait in this browser (localStorage) and are sent when it is back,
//   also after a reload.
// - Several tabs: a save in one tab updates the others (BroadcastChannel); if two tabs changed the same answer,
//   the second save is refused by the server and the person chooses which answer to keep.
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  if (!form || form.classList.contains("readonly")) return;
  var msg = form.dataset;
  var storageKey = msg.storageKey;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var connection = document.getElementById("connection");
  var channel = "BroadcastChannel" in window ? new BroadcastChannel(storageKey) : null;
  var DELAY = 700;
  var state = {}; // question id -> {timer, inFlight, dirty, flagDirty}
  var TAB = Math.random().toString(36).slice(2); // queued entries belong to the tab that typed them
  var submitting = false;
  function mine(entry) { return !!entry && entry.tab === TAB; }

  function fieldsets() { return form.querySelectorAll("fieldset.question"); }
  function qid(fs) { return fs.dataset.question; }
  function st(id) { return state[id] || (state[id] = { timer: null, inFlight: false, dirty: false, flagDirty: false }); }
  function versionInput(fs) { return fs.querySelector("[data-version]"); }
  function statusOf(fs) { return fs.querySelector(".save-status"); }

  function loadPending() {
    try { return JSON.parse(localStorage.getItem(storageKey) || "{}"); } catch (e) { return {}; }
  }
  function savePending(pending) {
    try { localStorage.setItem(storageKey, JSON.stringify(pending)); } catch (e) { /* storage full or disabled */ }
  }
  function setPending(id, entry) {
    var pending = loadPending();
    if (entry) { pending[id] = entry; } else { delete pending[id]; }
    savePending(pending);
    updateConnection();
  }

  function entriesOf(fs, withFlag) {
    var entries = [];
    fs.querySelectorAll("input, textarea, select").forEach(function (el) {
      if (!el.name || el.type === "file" || el.hasAttribute("data-version") || el.hasAttribute("data-flag-was")) return;
      if (el.hasAttribute("data-flag-sent") && !withFlag) return;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      entries.push([el.name, el.value]);
    });
    return entries;
  }

  function applyEntries(fs, entries) {
    var values = {};
    entries.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    ensureRows(fs, entries);
    fs.querySelectorAll("input, textarea").forEach(function (el) {
      if (!el.name || el.type === "file" || el.type === "hidden") return;
      var given = values[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") { el.checked = given.indexOf(el.value) !== -1; }
      else { el.value = given.length ? given[given.length - 1] : ""; }
    });
  }

  function ensureRows(fs, entries) {
    var table = fs.querySelector(".answer-table");
    if (!table) return;
    var max = -1;
    entries.forEach(function (pair) {
      var m = /-r(\d+)-/.exec(pair[0]);
      if (m) max = Math.max(max, parseInt(m[1], 10));
    });
    while (table.tBodies[0].rows.length <= max + 1) addRow(fs);
  }

  function addRow(fs) {
    var table = fs.querySelector(".answer-table");
    var body = table.tBodies[0];
    var template = body.rows[body.rows.length - 1];
    var index = parseInt(table.dataset.nextRow, 10);
    var row = template.cloneNode(true);
    row.querySelectorAll("input").forEach(function (input) {
      input.name = "q" + qid(fs) + "-r" + index + "-" + input.dataset.col;
      input.value = "";
    });
    body.appendChild(row);
    table.dataset.nextRow = String(index + 1);
    return row;
  }

  // What the server now holds for the discussion mark, so the final submit does not send it again.
  function rememberFlag(fs) {
    var was = fs.querySelectorAll("[data-flag-was]");
    var box = fs.querySelector("input[type=checkbox][data-flag]");
    var note = fs.querySelector("input[type=text][data-flag]");
    was[0].value = box && box.checked ? "on" : "";
    was[1].value = note ? note.value : "";
  }

  function showStatus(fs, text, kind) {
    var el = statusOf(fs);
    el.textContent = text;
    el.className = "save-status" + (kind ? " " + kind : "");
  }

  var progressAt = 0;
  function updateProgress(answered, total, at) {
    if (at && at < progressAt) return; // the count of an older save, answered late
    if (at) progressAt = at;
    var box = document.getElementById("progress");
    box.querySelector("progress").value = answered;
    box.querySelector("progress").max = total;
    document.getElementById("progress-text").textContent =
      msg.msgAnswered.replace("%(a)s", answered).replace("%(t)s", total);
  }

  function updateConnection() {
    var pending = Object.keys(loadPending()).length;
    if (!navigator.onLine && pending) { connection.textContent = connection.dataset.offline; connection.className = "connection offline"; }
    else if (pending) { connection.textContent = connection.dataset.pending; connection.className = "connection pending"; }
    else { connection.textContent = connection.dataset.saved; connection.className = "connection saved"; }
  }

  function schedule(fs) {
    var s = st(qid(fs));
    s.dirty = true;
    setPending(qid(fs), { entries: entriesOf(fs, true), flag: s.flagDirty, version: versionInput(fs).value, tab: TAB });
    showStatus(fs, msg.msgSaving, "pending");
    clearTimeout(s.timer);
    s.timer = setTimeout(function () { s.timer = null; send(fs); }, DELAY);
  }

  function send(fs) {
    var id = qid(fs);
    var s = st(id);
    if (s.inFlight) { clearTimeout(s.timer); s.timer = setTimeout(function () { s.timer = null; send(fs); }, DELAY); return; }
    var entry = loadPending()[id];
    if (!mine(entry)) { if (entry) s.dirty = false; return; } // another tab's answer: that tab sends it
    var body = new FormData();
    entry.entries.forEach(function (pair) {
      if (pair[0] === "q" + id + "-flag-sent" && !entry.flag) return;
      body.append(pair[0], pair[1]);
    });
    body.append("version", versionInput(fs).value);
    s.inFlight = true;
    s.dirty = false;
    fetch(fs.dataset.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      s.inFlight = false;
      var data = result.data;
      if (result.status === 200) {
        versionInput(fs).value = data.version;
        if (entry.flag) rememberFlag(fs);
        if (!s.dirty) {
          setPending(id, null);
          s.flagDirty = false;
          showStatus(fs, msg.msgSaved + " " + data.saved_at, "saved");
        } else {
          var queued = loadPending();
          if (mine(queued[id])) { queued[id].version = String(data.version); savePending(queued); }
        }
        updateProgress(data.answered, data.total, data.progress_at);
        if (channel) channel.postMessage({ question: id, version: data.version, entries: entry.entries, answered: data.answered, total: data.total, progress_at: data.progress_at });
      } else if (result.status === 409) {
        showConflict(fs, data);
      } else if (result.status === 404) {
        showStatus(fs, msg.msgLink, "error");
      } else {
        if (!s.dirty) setPending(id, null); // a newer text typed meanwhile is still to be sent
        showStatus(fs, msg.msgError + " " + (data.detail || ""), "error");
      }
      finishSubmit();
    }).catch(function () {
      // No connection: the answer stays in this browser and is sent again later.
      s.inFlight = false;
      s.dirty = true;
      showStatus(fs, connection.dataset.offline, "offline");
      updateConnection();
      finishSubmit();
    });
  }
  function busy() { return Object.keys(state).some(function (id) { return state[id].inFlight; }); }
  function finishSubmit() { // a submit waited for the saves on their way: now the form's versions are current
    if (submitting && !busy()) { submitting = false; form.requestSubmit(); }
  }

  function showConflict(fs, data) {
    var old = fs.querySelector(".conflict");
    if (old) old.remove();
    var box = document.createElement("div");
    box.className = "conflict notice";
    box.setAttribute("role", "alert");
    var text = document.createElement("p");
    text.textContent = msg.msgConflict + " " + data.text;
    var theirs = document.createElement("button");
    theirs.type = "button"; theirs.className = "btn-small"; theirs.textContent = msg.msgUseTheirs;
    var mine = document.createElement("button");
    mine.type = "button"; mine.className = "btn-small"; mine.textContent = msg.msgKeepMine;
    theirs.addEventListener("click", function () {
      setPending(qid(fs), null);
      window.location.hash = "question-" + qid(fs);
      window.location.reload();
    });
    mine.addEventListener("click", function () {
      versionInput(fs).value = data.version;
      box.remove();
      schedule(fs);
    });
    box.appendChild(text); box.appendChild(theirs); box.appendChild(document.createTextNode(" ")); box.appendChild(mine);
    fs.appendChild(box);
    showStatus(fs, "", "");
  }

  fieldsets().forEach(function (fs) {
    var handler = function (event) {
      if (event.target.type === "file") return;
      if (event.target.hasAttribute("data-flag")) st(qid(fs)).flagDirty = true;
      schedule(fs);
    };
    fs.addEventListener("input", handler);
    fs.addEventListener("change", function (event) { if (event.target.type === "radio" || event.target.type === "checkbox") handler(event); });
    fs.querySelectorAll("[data-add-row]").forEach(function (button) {
      button.addEventListener("click", function () { addRow(fs).querySelector("input").focus(); });
    });
    fs.querySelectorAll("[data-clear]").forEach(function (button) {
      button.addEventListener("click", function () {
        fs.querySelectorAll("input[type=radio]").forEach(function (r) { r.checked = false; });
        schedule(fs);
      });
    });
  });

  // Anything typed while the page was still loading, before these handlers were listening, is saved now.
  function changedBeforeScript(el) {
    if (!el.name || el.type === "file" || el.type === "hidden") return false;
    if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
    if (el.tagName === "SELECT") return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
    return el.value !== el.defaultValue;
  }
  var queuedAtLoad = loadPending();
  fieldsets().forEach(function (fs) {
    if (queuedAtLoad[qid(fs)]) return; // restored from the queue below
    var changed = Array.prototype.filter.call(fs.querySelectorAll("input, textarea, select"), changedBeforeScript);
    if (!changed.length) return;
    if (changed.some(function (el) { return el.hasAttribute("data-flag"); })) st(qid(fs)).flagDirty = true;
    schedule(fs);
  });

  // Another tab saved an answer: show it here unless this tab is changing the same answer.
  if (channel) {
    channel.onmessage = function (event) {
      var fs = document.getElementById("question-" + event.data.question);
      if (event.data.total) updateProgress(event.data.answered, event.data.total, event.data.progress_at);
      var s = st(event.data.question);
      if (!fs || s.dirty || s.inFlight || mine(loadPending()[event.data.question])) return;
      applyEntries(fs, event.data.entries);
      versionInput(fs).value = event.data.version;
      showStatus(fs, msg.msgSaved, "saved");
    };
  }

  // Answers typed while offline (or before a reload) are restored and sent again.
  var pending = loadPending();
  Object.keys(pending).forEach(function (id) {
    var fs = document.getElementById("question-" + id);
    if (!fs) { setPending(id, null); return; }
    applyEntries(fs, pending[id].entries);
    // Every save carries a version (the server refuses one without); an entry queued without it keeps the page's.
    if (/^\d+$/.test(String(pending[id].version))) versionInput(fs).value = pending[id].version;
    st(id).flagDirty = !!pending[id].flag;
    pending[id].tab = TAB; // taken over from the page that queued it (closed, reloaded, or another tab)
    setPending(id, pending[id]);
    send(fs);
  });

  function retry() {
    var waiting = loadPending();
    Object.keys(waiting).forEach(function (id) {
      var fs = document.getElementById("question-" + id);
      if (fs && mine(waiting[id]) && !st(id).inFlight && !st(id).timer) send(fs);
    });
    updateConnection();
  }
  window.addEventListener("online", retry);
  window.addEventListener("offline", updateConnection);
  setInterval(retry, 10000);

  // Uploading a file saves the other answers first (the page reloads after the upload).
  document.querySelectorAll(".upload-form").forEach(function (upload) {
    upload.addEventListener("submit", function () {
      fieldsets().forEach(function (fs) { if (loadPending()[qid(fs)]) send(fs); });
    });
  });

  form.addEventListener("submit", function (event) {
    if (!navigator.onLine) { event.preventDefault(); updateConnection(); return; } // keep the queue
    if (busy()) { event.preventDefault(); submitting = true; return; } // first the saves on their way
    // The form carries every answer of this tab; once the server has them, nothing of it waits here.
    var queued = loadPending();
    Object.keys(queued).forEach(function (id) { if (mine(queued[id])) delete queued[id]; });
    savePending(queued);
    window.removeEventListener("beforeunload", warn);
  });
  function warn(event) {
    if (Object.keys(loadPending()).length) { event.preventDefault(); event.returnValue = msg.msgLeave; return msg.msgLeave; }
  }
  window.addEventListener("beforeunload", warn);
  updateConnection();
})();
