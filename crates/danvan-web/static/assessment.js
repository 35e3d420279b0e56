// danvan's own script for the self-assessment form: the running totals follow the points as
// they are typed. The server's figures (the engine's, recomputed at every save) are where this
// starts; each leaf's change from its saved value is added to the leaf, to its section and to the
// total. Without this script the totals are the server's, after each save.
(function () {
  "use strict";
  var form = document.querySelector("form[data-running-form]");
  var total = document.querySelector("[data-running-total]");
  if (!form || !total) { return; }
  var number = function (text) {
    var n = parseFloat(String(text).trim().replace(/\./g, "").replace(",", "."));
    return isNaN(n) ? 0 : n;
  };
  var shown = function (n) {
    return (Math.round(n * 100) / 100).toString().replace(".", ",");
  };
  var score = function (input) {
    var max = number(input.getAttribute("data-max"));
    if (input.getAttribute("data-kind") === "yes_no") { return input.value === "1" ? max : 0; }
    return Math.max(0, Math.min(max, number(input.value)));
  };
  var inputs = form.querySelectorAll("[data-live]");
  var saved = [];
  inputs.forEach(function (input, i) { saved[i] = score(input); });
  var cell = function (key) { return document.querySelector('[data-running="' + key + '"]'); };
  var base = {};
  document.querySelectorAll("[data-running]").forEach(function (c) { base[c.getAttribute("data-running")] = number(c.textContent); });
  var baseTotal = number(total.textContent);
  var update = function () {
    var delta = {}, all = 0;
    inputs.forEach(function (input, i) {
      var d = score(input) - saved[i];
      var key = input.getAttribute("data-live");
      delta[key] = (delta[key] || 0) + d;
      (input.getAttribute("data-section") || "").split(" ").forEach(function (parent) {
        if (parent) { delta[parent] = (delta[parent] || 0) + d; }
      });
      all += d;
    });
    Object.keys(delta).forEach(function (key) {
      var c = cell(key);
      if (c) { c.textContent = shown((base[key] || 0) + delta[key]); }
    });
    total.textContent = shown(baseTotal + all);
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
})();
