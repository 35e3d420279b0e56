// danvan's own script for the self-assessment form: the running totals follow the points as
// they are typed. The server's figures (the engine's, recomputed at every save) are where this
// starts; each leaf's change from its saved value is added to the leaf, to its section and to the
// total. Without this script the totals are the server's, after each save.
(function () {
  "use strict";
  var form = document.querySelector("form[data-running-form]");
  var total = document.querySelector("[data-running-total]");
  if (!form || !total) { return; }
  // Points as the server reads them: "2,5" or "2.5"; an empty or unreadable value is none.
  var number = function (text) {
    var n = parseFloat(String(text).trim().replace(",", "."));
    return isNaN(n) ? 0 : n;
  };
  var shown = function (n) {
    return (Math.round(n * 100) / 100).toString().replace(".", ",");
  };
  var score = function (input, value) {
    var max = number(input.getAttribute("data-max"));
    var kind = input.getAttribute("data-kind");
    if (kind === "yes_no") { return value === "1" ? max : 0; }
    if (kind === "count") {
      // So much per occurrence, up to the line's maximum (a bonus counted per occurrence).
      return Math.min(max, number(input.getAttribute("data-per")) * Math.max(0, Math.floor(number(value))));
    }
    if (kind === "occurrences") {
      // The maximum less so much per occurrence, never below the floor (nothing typed: none).
      if (String(value).trim() === "") { return 0; }
      var floor = Math.max(0, Math.min(max, number(input.getAttribute("data-floor"))));
      return Math.max(floor, max - number(input.getAttribute("data-per")) * Math.max(0, Math.floor(number(value))));
    }
    return Math.max(0, Math.min(max, number(value)));
  };
  var inputs = form.querySelectorAll("[data-live]");
  // Where the server's figures start: the saved answers (not what a reload or a kept form put
  // in the fields).
  var saved = [];
  inputs.forEach(function (input, i) { saved[i] = score(input, input.getAttribute("data-saved") || ""); });
  var cells = {};
  document.querySelectorAll("[data-running]").forEach(function (c) { cells[c.getAttribute("data-running")] = c; });
  var cell = function (key) { return cells[key]; };
  var base = {};
  document.querySelectorAll("[data-running]").forEach(function (c) { base[c.getAttribute("data-running")] = number(c.textContent); });
  var baseTotal = number(total.textContent);
  var update = function () {
    var delta = {}, all = 0;
    inputs.forEach(function (input, i) {
      var d = score(input, input.value) - saved[i];
      var key = input.getAttribute("data-live");
      delta[key] = (delta[key] || 0) + d;
      (input.getAttribute("data-section") || "").split(" ").forEach(function (parent) {
        if (parent) { delta[parent] = (delta[parent] || 0) + d; }
      });
      all += d;
    });
    Object.keys(delta).forEach(function (key) {
      var c = cell(key);
      if (!c) { return; }
      // A line or section never shows more than its maximum, as the engine caps it.
      var value = (base[key] || 0) + delta[key], max = c.getAttribute("data-max");
      if (max) { value = Math.min(value, number(max)); }
      c.textContent = shown(Math.max(0, value));
    });
    total.textContent = shown(baseTotal + all);
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
})();
