// certprep responsibility matrix: keyboard shortcuts on cells and showing refused saves.
// The matrix works without this file: a click (or Enter/Space) on a cell posts it and cycles the letter.
(function () {
  "use strict";
  var LETTER_KEYS = { r: "R", a: "A", s: "S", c: "C", i: "I", Delete: "", Backspace: "" };

  // A refused save (409: someone changed the cell; 400: a letter not in use) still returns the current cell,
  // the checks and a message: show them instead of dropping the answer.
  // A busy database (503) saved nothing: the same click is sent again after a pause, a few times.
  var BUSY_TRIES = 5;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    if (status === 409 || status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    } else if (status === 503) {
      var source = event.detail.requestConfig && event.detail.requestConfig.elt;
      var tries = source ? Number(source.dataset.busyTries || 0) + 1 : BUSY_TRIES;
      event.detail.shouldSwap = false;
      event.detail.isError = false;
      if (tries < BUSY_TRIES) {
        source.dataset.busyTries = String(tries);
        window.setTimeout(function () { window.htmx.trigger(source, "click"); }, tries * 1000);
      }
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (source && source.dataset) { delete source.dataset.busyTries; }
  });

  function cellButton(row, index) {
    if (!row || !row.cells[index]) { return null; }
    return row.cells[index].querySelector("button.raci-btn");
  }

  function move(button, key) {
    var td = button.closest("td");
    var tr = td && td.parentElement;
    if (!tr) { return false; }
    var index = Array.prototype.indexOf.call(tr.cells, td);
    var target = null;
    if (key === "ArrowLeft") { target = cellButton(tr, index - 1); }
    if (key === "ArrowRight") { target = cellButton(tr, index + 1); }
    if (key === "ArrowUp") { target = cellButton(tr.previousElementSibling, index); }
    if (key === "ArrowDown") { target = cellButton(tr.nextElementSibling, index); }
    if (target) { target.focus(); return true; }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    var button = event.target;
    if (!button || !button.classList || !button.classList.contains("raci-btn")) { return; }
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key.indexOf("Arrow") === 0) {
      if (move(button, event.key)) { event.preventDefault(); }
      return;
    }
    var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (!Object.prototype.hasOwnProperty.call(LETTER_KEYS, key) || !window.htmx) { return; }
    event.preventDefault();
    window.htmx.ajax("POST", button.getAttribute("hx-post"), {
      source: button,
      target: button.closest("td"),
      swap: "outerHTML",
      values: { letter: LETTER_KEYS[key] }
    });
  });
})();
