// The thresholds tool's suggestion as indicators are ticked. The server decides again on save:
// this is only a help to the practitioner.
(function () {
  "use strict";
  function update() {
    var form = document.querySelector("form[data-level-weights]");
    var out = document.getElementById("level-suggestion");
    if (!form || !out) return;
    var weights = JSON.parse(form.getAttribute("data-level-weights"));
    var thresholds = JSON.parse(form.getAttribute("data-level-thresholds"));
    var total = 0;
    var floor = 1;
    form.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      var item = weights[box.value];
      if (!item) return;
      total += item[0];
      if (item[1] && item[1] > floor) floor = item[1];
    });
    var level = 1;
    thresholds.forEach(function (t) { if (total >= t) level += 1; });
    level = Math.min(4, Math.max(level, floor));
    out.textContent = "The tool suggests level " + level + ".";
  }
  document.addEventListener("change", update);
  document.addEventListener("DOMContentLoaded", update);
})();
