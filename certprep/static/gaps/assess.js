/* certprep assessment screen: instant saves of one field at a time, keyboard rating, conflict display. */
(function () {
  "use strict";
  var table = document.getElementById("ratings");
  if (!table) { return; }
  var editable = table.dataset.editable === "1";
  var saveUrl = table.dataset.saveUrl;
  var csrf = table.dataset.csrf || "";
  var CYCLE = ["", "N", "P", "L", "F"];
  var queues = {};
  var counter = document.getElementById("rated-count");
  var progress = document.getElementById("rated-progress");

  function urlFor(id) { return saveUrl.replace(/\/0\/save\/$/, "/" + id + "/save/"); }
  function rows() { return Array.prototype.slice.call(table.tBodies[0].rows); }

  function setStatus(row, kind, text) {
    var cell = row.querySelector(".row-status");
    row.classList.remove("is-saving", "is-saved", "is-error");
    row.classList.add("is-" + kind);
    cell.textContent = text || (kind === "saving" ? table.dataset.msgSaving : kind === "saved" ? table.dataset.msgSaved : "");
    cell.title = text || "";
  }

  function updateCounter(delta) {
    if (!counter || !delta) { return; }
    var rated = parseInt(counter.dataset.rated, 10) + delta;
    var total = counter.dataset.total;
    counter.dataset.rated = String(rated);
    counter.textContent = table.dataset.msgRated.replace("%(rated)s", rated).replace("%(total)s", total);
    if (progress) { progress.value = rated; }
  }

  function setSelect(row, field, value) {
    var select = row.querySelector('select[data-field="' + field + '"]');
    if (select) { select.value = value === null || value === undefined ? "" : String(value); }
  }

  function apply(row, state) {
    row.dataset.version = state.version;
    setSelect(row, "level", state.level);
    setSelect(row, "target", state.target);
    setSelect(row, "documentation", state.documentation);
    setSelect(row, "owner", state.owner);
    row.querySelectorAll("button.pa").forEach(function (button) {
      var value = (state.attributes || {})[button.dataset.attr] || "";
      button.textContent = value || "·";
      button.className = "pa pa-" + (value || "none");
    });
    var level = row.querySelector("[data-level]");
    if (level) { level.textContent = state.level === null ? "–" : String(state.level); }
    var gap = row.querySelector("[data-gap]");
    if (gap) { gap.textContent = state.gap === null ? "–" : String(state.gap); }
    row.classList.remove("prio-high", "prio-medium", "prio-low");
    if (state.priority) { row.classList.add("prio-" + state.priority); }
    var priority = row.querySelector("[data-priority]");
    if (priority) {
      priority.textContent = "";
      if (state.priority) {
        var badge = document.createElement("span");
        badge.className = "prio prio-" + state.priority;
        badge.textContent = state.priority_label || "";
        priority.appendChild(badge);
      }
    }
    var weight = row.querySelector("[data-weight]");
    if (weight && state.weight) { weight.textContent = "\u00d7" + state.weight; }
    /* Rows whose requirements share a checklist item with this one share its documentation status. */
    Object.keys(state.linked_documentation || {}).forEach(function (id) {
      var other = document.getElementById("r" + id);
      if (other) { setSelect(other, "documentation", state.linked_documentation[id]); }
    });
    var wasRated = row.dataset.rated === "1";
    var isRated = state.level !== null;
    row.dataset.rated = isRated ? "1" : "";
    updateCounter((isRated ? 1 : 0) - (wasRated ? 1 : 0));
  }

  var BUSY_TRIES = 5;

  function wait(seconds) {
    return new Promise(function (resolve) { setTimeout(resolve, seconds * 1000); });
  }

  function send(row, params, attempt) {
    attempt = attempt || 1;
    params.version = row.dataset.version;
    setStatus(row, "saving");
    return fetch(urlFor(row.dataset.id), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
      body: new URLSearchParams(params)
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; },
        function () { return { status: response.status, data: null }; });
    }).then(function (reply) {
      if (reply.status === 200) {
        apply(row, reply.data);
        setStatus(row, "saved");
      } else if (reply.status === 503 && attempt < BUSY_TRIES) {
        // The database was busy and nothing was saved: send the same value again after the pause asked for.
        setStatus(row, "saving", reply.data && reply.data.detail);
        return wait(attempt).then(function () { return send(row, params, attempt + 1); });
      } else {
        if (reply.data && reply.data.current) { apply(row, reply.data.current); }
        setStatus(row, "error", (reply.data && reply.data.detail) || ("HTTP " + reply.status));
      }
    }, function () {
      setStatus(row, "error", table.dataset.msgOffline);
    });
  }

  /* One save at a time per row, so each carries the version the previous one produced. */
  function save(row, params) {
    var id = row.dataset.id;
    var next = (queues[id] || Promise.resolve()).then(function () { return send(row, params); });
    queues[id] = next.catch(function () { return null; });
    return next;
  }

  function setAttribute(row, button, value) {
    button.textContent = value || "·";
    button.className = "pa pa-" + (value || "none");
    save(row, { attr: button.dataset.attr, value: value });
  }

  if (editable) {
    table.addEventListener("change", function (event) {
      var select = event.target.closest("select[data-field]");
      if (!select) { return; }
      var row = select.closest("tr");
      var params = {};
      params[select.dataset.field] = select.value;
      save(row, params);
    });
    table.addEventListener("click", function (event) {
      var button = event.target.closest("button.pa");
      if (!button) { return; }
      var current = button.textContent === "·" ? "" : button.textContent;
      var next = CYCLE[(CYCLE.indexOf(current) + 1) % CYCLE.length];
      setAttribute(button.closest("tr"), button, next);
    });
  } else {
    table.querySelectorAll("button.pa").forEach(function (button) { button.disabled = true; });
  }

  function focusRow(row) {
    if (row) { row.focus(); row.scrollIntoView({ block: "nearest" }); }
  }

  function activeButton(row) {
    var focused = document.activeElement;
    if (focused && focused.matches && focused.matches("button.pa") && row.contains(focused)) { return focused; }
    var buttons = row.querySelectorAll("button.pa");
    for (var i = 0; i < buttons.length; i += 1) {
      if (buttons[i].textContent === "·") { return buttons[i]; }
    }
    return buttons[0] || null;
  }

  table.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    var row = target.closest("tr.rating-row");
    if (!row) { return; }
    if (target.tagName === "SELECT") {
      if (event.key === "Escape") { event.preventDefault(); row.focus(); }
      return;
    }
    if (target !== row && !(target.matches && target.matches("button.pa"))) { return; }
    var key = event.key;
    var lower = key.length === 1 ? key.toLowerCase() : key;
    var all = rows();
    var index = all.indexOf(row);
    if (key === "ArrowDown" || lower === "j") { event.preventDefault(); focusRow(all[index + 1]); return; }
    if (key === "ArrowUp" || lower === "k") { event.preventDefault(); focusRow(all[index - 1]); return; }
    if (key === "Enter" && target === row) {
      event.preventDefault();
      var link = row.querySelector("th a");
      if (link) { window.location.href = link.href; }
      return;
    }
    if (key === "Escape") { event.preventDefault(); row.focus(); return; }
    var fieldKeys = { d: "documentation", t: "target", a: "owner" };
    if (fieldKeys[lower]) {
      var select = row.querySelector('select[data-field="' + fieldKeys[lower] + '"]');
      if (select && !select.disabled) { event.preventDefault(); select.focus(); }
      return;
    }
    if (!editable) { return; }
    var levelSelect = row.querySelector('select[data-field="level"]');
    if (levelSelect) {
      if (/^[0-9]$/.test(key) && levelSelect.querySelector('option[value="' + key + '"]')) {
        event.preventDefault();
        if (levelSelect.value !== key) { levelSelect.value = key; save(row, { level: key }); }
      } else if (key === "Delete" || key === "Backspace") {
        event.preventDefault();
        if (levelSelect.value !== "") { levelSelect.value = ""; save(row, { level: "" }); }
      }
      return;
    }
    var buttons = Array.prototype.slice.call(row.querySelectorAll("button.pa"));
    if (!buttons.length) { return; }
    var button = activeButton(row);
    var position = buttons.indexOf(button);
    if (key === "ArrowRight") { event.preventDefault(); (buttons[position + 1] || buttons[position]).focus(); return; }
    if (key === "ArrowLeft") {
      event.preventDefault();
      if (position > 0) { buttons[position - 1].focus(); } else { row.focus(); }
      return;
    }
    var letter = key.length === 1 ? key.toUpperCase() : "";
    if (letter === "N" || letter === "P" || letter === "L" || letter === "F") {
      event.preventDefault();
      setAttribute(row, button, letter);
      (buttons[position + 1] || button).focus();
    } else if (key === "Delete" || key === "Backspace") {
      event.preventDefault();
      setAttribute(row, button, "");
    }
  });
})();
