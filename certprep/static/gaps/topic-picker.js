// The topic form's requirement picker: searching as one types, ticking a found requirement adds it to the
// topic's list. Without JavaScript the "Find" button posts the form and the page lists the same results.
(function () {
  "use strict";
  function setup(picker) {
    var query = picker.querySelector("[data-picker-query]");
    var results = picker.querySelector("[data-picker-results]");
    var chosen = picker.querySelector("[data-picker-chosen]");
    var url = picker.getAttribute("data-search-url");
    var timer = null;
    var latest = 0;

    function chosenIds() {
      return Array.prototype.map.call(chosen.querySelectorAll("input[name=ratings]"), function (box) {
        return box.value;
      });
    }

    function search() {
      var ask = ++latest;
      var params = new URLSearchParams({ q: query.value.trim(), exclude: chosenIds().join(",") });
      fetch(url + "?" + params.toString(), { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          if (ask === latest) {
            // The fragment is rendered and escaped by the server (gaps/partials/topic_picker_results.html).
            results.innerHTML = html;
          }
        });
    }

    query.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    query.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // Enter searches here; it does not save the topic
        clearTimeout(timer);
        search();
      }
    });
    picker.querySelector("[data-picker-find]").addEventListener("click", function (event) {
      event.preventDefault();
      search();
    });
    results.addEventListener("change", function (event) {
      var box = event.target;
      if (box.name !== "ratings" || !box.checked) {
        return;
      }
      var none = chosen.querySelector("[data-picker-none]");
      if (none) {
        none.remove();
      }
      chosen.appendChild(box.closest("li"));
      box.focus();
    });
  }
  document.querySelectorAll("[data-picker]").forEach(setup);
})();
