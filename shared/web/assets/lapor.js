// lapor: what scripts improve on pages that work without them. Nothing here is needed.
(function () {
  "use strict";
  // The error summary takes the focus, so that a screen reader reads it first.
  var summary = document.querySelector(".summary");
  if (summary) { summary.focus(); }

  // A file over the limit, or of a type not accepted, is told before anything is sent.
  var MAX_BYTES = 2 * 1024 * 1024;
  var TYPES = ["image/jpeg", "image/png", "image/webp", "application/pdf", "video/mp4"];
  function say(input, message) {
    var id = input.id + "-status";
    var line = document.getElementById(id);
    if (!line) {
      line = document.createElement("p");
      line.id = id;
      line.className = "error";
      line.setAttribute("role", "status");
      input.after(line);
    }
    line.textContent = message;
    input.setCustomValidity(message);
  }
  document.querySelectorAll("input[type=file][data-max-files]").forEach(function (input) {
    input.addEventListener("change", function () {
      var message = "";
      var max = Number(input.getAttribute("data-max-files"));
      if (input.files.length > max) { message = "Paling banyak " + max + " berkas."; }
      for (var i = 0; i < input.files.length; i++) {
        var file = input.files[i];
        if (file.size > MAX_BYTES) { message = "Ukuran berkas maksimal 2 MB: " + file.name + " terlalu besar."; }
        if (TYPES.indexOf(file.type) < 0) { message = "Jenis berkas " + file.name + " tidak diterima: kirim JPG, PNG, WebP, PDF atau MP4."; }
      }
      say(input, message);
      if (message) { input.reportValidity(); }
    });
  });

  // Files go ahead of their form, each through its own upload URL; the form then carries
  // their ids, so it stays small whatever the files weigh.
  document.querySelectorAll("form").forEach(function (form) {
    var input = form.querySelector("input[type=file][name=lampiran]");
    var token = form.querySelector("input[name=csrf]");
    if (!input || !token || !window.fetch) { return; }
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-uploaded") || input.files.length === 0) { return; }
      event.preventDefault();
      if (!input.checkValidity()) { input.reportValidity(); return; }
      var files = Array.prototype.slice.call(input.files);
      say(input, "");
      var line = document.getElementById(input.id + "-status");
      line.textContent = "Mengunggah " + files.length + " berkas…";
      files.reduce(function (done, file) {
        return done.then(function () {
          return fetch("/lampiran/unggah", {
            method: "POST",
            headers: { "content-type": "application/json", "x-csrf-token": token.value },
            body: JSON.stringify({ filename: file.name, content_type: file.type, size: file.size })
          }).then(function (answer) {
            return answer.json().then(function (body) {
              if (!answer.ok) { throw new Error(body.message || "Berkas " + file.name + " tidak dapat diunggah."); }
              return body;
            });
          }).then(function (ticket) {
            return fetch(ticket.url, { method: "PUT", headers: ticket.headers, body: file }).then(function (put) {
              if (!put.ok) { throw new Error("Berkas " + file.name + " tidak dapat diunggah. Coba lagi."); }
              var id = document.createElement("input");
              id.type = "hidden";
              id.name = "lampiran_id";
              id.value = ticket.id;
              id.setAttribute("data-diunggah", "");
              form.appendChild(id);
            });
          });
        });
      }, Promise.resolve()).then(function () {
        input.value = "";
        line.textContent = "";
        form.setAttribute("data-uploaded", "1");
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      }).catch(function (error) {
        // Only the ids this attempt added: those the page carried (files kept) stay.
        form.querySelectorAll("input[name=lampiran_id][data-diunggah]").forEach(function (id) { id.remove(); });
        say(input, error.message || "Berkas tidak dapat diunggah. Coba lagi.");
        input.focus();
      });
    });
  });

  // The regencies narrow to the province chosen.
  var province = document.getElementById("provinsi");
  var regency = document.getElementById("kabupaten");
  function narrow() {
    regency.querySelectorAll("optgroup").forEach(function (group) {
      var other = province.value !== "" && group.getAttribute("data-provinsi") !== province.value;
      group.hidden = other;
      group.disabled = other;
    });
    var chosen = regency.selectedOptions[0];
    if (chosen && chosen.parentNode.disabled) { regency.value = ""; }
  }
  if (province && regency) {
    province.addEventListener("change", function () { narrow(); regency.dispatchEvent(new Event("change")); });
    regency.addEventListener("change", function () {
      var group = regency.selectedOptions[0] && regency.selectedOptions[0].parentNode;
      if (group && group.getAttribute("data-provinsi")) { province.value = group.getAttribute("data-provinsi"); narrow(); }
    });
    narrow();
  }

  // Districts and villages are offered from the official codes as they are typed; any name
  // may still be typed.
  document.querySelectorAll("input[data-wilayah]").forEach(function (input) {
    var above = document.getElementById(input.getAttribute("data-wilayah"));
    var list = document.createElement("datalist");
    list.id = input.id + "-daftar";
    input.after(list);
    input.setAttribute("list", list.id);
    input.regions = [];
    function codeOfAbove() {
      if (above.tagName === "SELECT") { return above.value; }
      var typed = above.value.trim().toLowerCase();
      var found = (above.regions || []).filter(function (r) { return r.name.toLowerCase() === typed; })[0];
      return found ? found.code : "";
    }
    function offer() {
      var code = codeOfAbove();
      list.textContent = "";
      input.regions = [];
      if (!code) { return; }
      fetch("/v1/regions/" + encodeURIComponent(code), { headers: { accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (body) {
          input.regions = body.items;
          body.items.forEach(function (r) {
            var option = document.createElement("option");
            option.value = r.name;
            list.appendChild(option);
          });
        })
        .catch(function () { /* offline: the name is typed */ });
    }
    above.addEventListener("change", offer);
    offer();
  });

  // Agencies are suggested by name as it is typed; the one whose name is chosen is sent by id.
  var agency = document.querySelector("input[data-instansi]");
  if (agency) {
    var agencies = document.createElement("datalist");
    agencies.id = "instansi-daftar";
    agency.after(agencies);
    agency.setAttribute("list", agencies.id);
    var chosenId = document.createElement("input");
    chosenId.type = "hidden";
    chosenId.name = "instansi_id";
    agency.form.appendChild(chosenId);
    var found = [];
    var pending;
    var pick = function () {
      var typed = agency.value.trim().toLowerCase();
      var match = found.filter(function (a) { return a.name.toLowerCase() === typed; })[0];
      chosenId.value = match ? match.id : "";
      chosenId.disabled = !match;
    };
    agency.addEventListener("input", function () {
      pick();
      clearTimeout(pending);
      var q = agency.value.trim();
      if (q.length < 3) { return; }
      pending = setTimeout(function () {
        fetch("/v1/agencies?limit=10&q=" + encodeURIComponent(q), { headers: { accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (body) {
            found = body.items;
            agencies.textContent = "";
            found.forEach(function (a) {
              var option = document.createElement("option");
              option.value = a.name;
              agencies.appendChild(option);
            });
            pick();
          })
          .catch(function () { /* offline: the form finds it */ });
      }, 250);
    });
    pick();
  }

  // The report form keeps a draft in this browser, so a dropped connection loses nothing typed.
  var form = document.querySelector("form[data-draft]");
  if (form && window.localStorage) {
    var key = "lapor:" + form.getAttribute("data-draft");
    var fields = form.querySelectorAll("input[type=text],input[type=email],input[type=tel],input[type=date],textarea,select");
    var saved = {};
    try { saved = JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { saved = {}; }
    fields.forEach(function (field) {
      if (!field.value && saved[field.name]) {
        field.value = saved[field.name];
        field.dispatchEvent(new Event("change"));
      }
      field.addEventListener("input", function () {
        saved[field.name] = field.value;
        try { localStorage.setItem(key, JSON.stringify(saved)); } catch (e) { /* full: no draft */ }
      });
    });
    form.addEventListener("submit", function () { localStorage.removeItem(key); });
  }

  // A standard reply fills the follow-up as it is chosen (without the script, "Pakai templat"
  // loads the page with it filled in).
  var reply = document.getElementById("templat-jawaban");
  var followUp = document.getElementById("tindak-lanjut");
  if (reply && followUp) {
    reply.addEventListener("change", function () {
      var chosen = reply.options[reply.selectedIndex];
      if (chosen && chosen.getAttribute("data-isi")) {
        followUp.value = chosen.getAttribute("data-isi");
        followUp.focus();
      }
    });
  }
})();
