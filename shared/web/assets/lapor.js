// lapor: what scripts improve on pages that work without them. Nothing here is needed.
(function () {
  "use strict";
  // The error summary takes the focus, so that a screen reader reads it first.
  var summary = document.querySelector(".summary");
  if (summary) { summary.focus(); }

  // A file over the limit is told before anything is sent.
  var MAX_BYTES = 2 * 1024 * 1024;
  document.querySelectorAll("input[type=file][data-max-files]").forEach(function (input) {
    input.addEventListener("change", function () {
      var message = "";
      var max = Number(input.getAttribute("data-max-files"));
      if (input.files.length > max) { message = "Paling banyak " + max + " berkas."; }
      for (var i = 0; i < input.files.length; i++) {
        if (input.files[i].size > MAX_BYTES) { message = "Ukuran berkas maksimal 2 MB: " + input.files[i].name; }
      }
      input.setCustomValidity(message);
      input.reportValidity();
    });
  });

  // The report form keeps a draft in this browser, so a dropped connection loses nothing typed.
  var form = document.querySelector("form[data-draft]");
  if (form && window.localStorage) {
    var key = "lapor:" + form.getAttribute("data-draft");
    var fields = form.querySelectorAll("input[type=text],input[type=email],input[type=tel],input[type=date],textarea,select");
    var saved = {};
    try { saved = JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { saved = {}; }
    fields.forEach(function (field) {
      if (!field.value && saved[field.name]) { field.value = saved[field.name]; }
      field.addEventListener("input", function () {
        saved[field.name] = field.value;
        try { localStorage.setItem(key, JSON.stringify(saved)); } catch (e) { /* full: no draft */ }
      });
    });
    form.addEventListener("submit", function () { localStorage.removeItem(key); });
  }
})();
