/* The Gantt chart's editing (certprep.planning.views.gantt): drag a bar to move the task, drag its right end to
   change its duration, or with a bar focused the arrow keys move it by a working day and Shift with them change its
   duration. Each change is posted with the task's version; the server answers with the chart drawn again (409 and
   the conflict message when someone changed the task meanwhile), which replaces the old one. Without this script
   the chart's links still zoom, fold summary tasks and open a task in the side form. */
(function () {
  "use strict";
  var root = document.getElementById("gantt");
  if (!root || !root.dataset.editable) { return; }
  var drag = null;
  var busy = false;
  var suppressClick = false;

  function bar(target) { return target && target.closest ? target.closest("a.gantt-task[data-task]") : null; }
  function perDay() {
    var scale = root.querySelector("[data-per-day]");
    return scale ? parseFloat(scale.getAttribute("data-per-day")) : 7;
  }
  function plusDays(iso, days) {
    var d = new Date(iso + "T12:00:00Z");
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  }

  function send(task, fields) {
    if (busy) { return; }
    busy = true;
    var body = new FormData();
    root.querySelectorAll(".gantt-state input").forEach(function (input) { body.append(input.name, input.value); });
    body.append("csrfmiddlewaretoken", root.dataset.csrf);
    body.append("expected_version", task.getAttribute("data-version"));
    Object.keys(fields).forEach(function (name) { body.append(name, fields[name]); });
    var id = task.getAttribute("data-task");
    var hadFocus = document.activeElement === task;
    root.setAttribute("aria-busy", "true");
    fetch(root.dataset.url + id + "/", {
      method: "POST", body: body, credentials: "same-origin", headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.text().then(function (html) {
        if (response.status === 200 || response.status === 400 || response.status === 409) {
          var scroll = root.querySelector(".gantt-scroll");
          var left = scroll ? scroll.scrollLeft : 0;
          root.innerHTML = html;
          var again = root.querySelector(".gantt-scroll");
          if (again) { again.scrollLeft = left; }
          var moved = root.querySelector('a.gantt-task[data-task="' + id + '"]');
          if (moved && hadFocus) { moved.focus(); }
        }
      });
    }).finally(function () {
      busy = false;
      root.removeAttribute("aria-busy");
    });
  }

  // A task opened in the side form: bring its bar into the timeline's view and mark it.
  (function reveal() {
    var frame = root.querySelector(".gantt-frame[data-selected]");
    var scroll = root.querySelector(".gantt-scroll");
    if (!frame || !scroll) { return; }
    var selected = root.querySelector('a.gantt-task[data-task="' + frame.dataset.selected + '"]');
    if (!selected) { return; }
    selected.classList.add("selected");
    scroll.scrollLeft = Math.max(0, selected.getBBox().x - 48);
  })();

  root.addEventListener("dragstart", function (event) { if (bar(event.target)) { event.preventDefault(); } });

  root.addEventListener("pointerdown", function (event) {
    var task = bar(event.target);
    if (!task || event.button !== 0 || busy) { return; }
    var handle = event.target.classList && event.target.classList.contains("gantt-handle");
    var body = task.querySelector(".gantt-bar-body");
    drag = {
      task: task, mode: handle ? "stretch" : "move", x: event.clientX, dx: 0, pointer: event.pointerId,
      body: body, width: body ? parseFloat(body.getAttribute("width")) : 0
    };
    task.setPointerCapture(event.pointerId);
    event.preventDefault();
  });

  root.addEventListener("pointermove", function (event) {
    if (!drag || event.pointerId !== drag.pointer) { return; }
    drag.dx = event.clientX - drag.x;
    if (Math.abs(drag.dx) < 3) { return; }
    drag.task.classList.add("dragging");
    if (drag.mode === "move") {
      drag.task.setAttribute("transform", "translate(" + drag.dx + " 0)");
    } else if (drag.body) {
      drag.body.setAttribute("width", String(Math.max(perDay(), drag.width + drag.dx)));
    }
  });

  function endDrag(event) {
    if (!drag || event.pointerId !== drag.pointer) { return; }
    var current = drag;
    drag = null;
    current.task.classList.remove("dragging");
    var days = Math.round(current.dx / perDay());
    if (Math.abs(current.dx) < 3) { return; }
    suppressClick = true;
    if (days === 0 || event.type === "pointercancel") {
      current.task.removeAttribute("transform");
      if (current.body) { current.body.setAttribute("width", String(current.width)); }
      return;
    }
    if (current.mode === "move") {
      send(current.task, { action: "move", start: plusDays(current.task.getAttribute("data-start"), days) });
    } else {
      send(current.task, { action: "stretch", finish: plusDays(current.task.getAttribute("data-finish"), days) });
    }
  }
  root.addEventListener("pointerup", endDrag);
  root.addEventListener("pointercancel", endDrag);

  root.addEventListener("click", function (event) {
    if (suppressClick && bar(event.target)) { event.preventDefault(); }
    suppressClick = false;
  }, true);

  root.addEventListener("keydown", function (event) {
    var task = bar(event.target);
    if (!task || (event.key !== "ArrowLeft" && event.key !== "ArrowRight")) { return; }
    event.preventDefault();
    var step = event.key === "ArrowRight" ? 1 : -1;
    if (event.shiftKey) {
      if (!task.classList.contains("milestone")) { send(task, { action: "stretch", days: step }); }
    } else {
      send(task, { action: "move", days: step });
    }
  });
})();
