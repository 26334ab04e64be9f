// Polls the import job's status every second and updates the progress bar; reloads the page
// when the job has finished so the report (counts, errors, confirm button) is shown.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var bar = document.getElementById("import-progress-bar");
  var text = document.getElementById("import-progress-text");
  var status = document.getElementById("import-status");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
        text.textContent = data.progress + " / " + data.total + "행 (" + data.percent + "%)";
        status.textContent = data.status_display;
        if (data.running) { window.setTimeout(poll, 1000); } else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 1000);
}());
