/* Money fields (*_krw) in the admin: the exact 억/조 reading of what staff type, live.
   The server reads the text with the one amount grammar (core.amounts) and says whether the
   amount is unusual for the field; this script only asks and shows the answer. */
(function () {
  "use strict";
  var DELAY = 200;

  function show(output, answer) {
    output.classList.remove("krw-error", "krw-warning");
    if (!answer.ok) {
      output.textContent = answer.error;
      output.classList.add("krw-error");
    } else if (answer.warning) {
      output.textContent = answer.reading + " — " + answer.warning;
      output.classList.add("krw-warning");
    } else {
      output.textContent = answer.reading;
    }
  }

  function attach(input) {
    var output = input.parentNode.querySelector("output.krw-reading");
    if (!output || input.dataset.krwAttached) return;
    input.dataset.krwAttached = "1";
    var timer = null;
    var asked = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var ask = ++asked;
        var url = output.dataset.readingUrl + "?" + new URLSearchParams({
          value: input.value,
          field: input.dataset.krwField || ""
        });
        fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
          .then(function (response) { return response.json(); })
          .then(function (answer) { if (ask === asked) show(output, answer); })
          .catch(function () { /* the server checks again on save */ });
      }, DELAY);
    });
  }

  function attachAll(root) {
    root.querySelectorAll("input.vKrwField").forEach(attach);
  }

  document.addEventListener("DOMContentLoaded", function () { attachAll(document); });
  // Rows added to an inline ("다른 … 추가") carry new inputs.
  document.addEventListener("formset:added", function (event) { attachAll(event.target); });
})();
