// Keyhouse smart locks: the active-period editor's presets, copy-a-row and weekly preview.
// Works on forms rendered by templates/k3clients/_period_editor.html; without this file the
// same buttons post to the server, which does the same thing.
(function () {
  "use strict";

  var DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  var DAY_MINUTES = 24 * 60;
  var HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

  function field(row, name) {
    return row.querySelector("[name$='-" + name + "']");
  }

  function readRow(row) {
    var period = {
      enabled: field(row, "enabled").checked,
      starts: field(row, "starts").value,
      ends: field(row, "ends").value
    };
    DAYS.forEach(function (day) { period[day] = field(row, day).checked; });
    return period;
  }

  function writeRow(row, period) {
    field(row, "enabled").checked = !!period.enabled;
    field(row, "starts").value = period.starts;
    field(row, "ends").value = period.ends;
    DAYS.forEach(function (day) { field(row, day).checked = !!period[day]; });
  }

  function minutes(text) {
    var parts = text.split(":");
    return parseInt(parts[0], 10) * 60 + parseInt(parts[1], 10);
  }

  function endMinute(text) {
    var value = minutes(text);
    return value === DAY_MINUTES - 1 ? DAY_MINUTES : value;
  }

  function clock(minute) {
    if (minute >= DAY_MINUTES) { return "23:59"; }
    var h = Math.floor(minute / 60), m = minute % 60;
    return (h < 10 ? "0" : "") + h + ":" + (m < 10 ? "0" : "") + m;
  }

  function merged(spans) {
    spans.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var out = [];
    spans.forEach(function (span) {
      var last = out[out.length - 1];
      if (last && span[0] <= last[1]) { last[1] = Math.max(last[1], span[1]); } else { out.push(span.slice()); }
    });
    return out;
  }

  function summary(spans) {
    if (!spans.length) { return "No access"; }
    if (spans.length === 1 && spans[0][0] === 0 && spans[0][1] === DAY_MINUTES) { return "All day"; }
    return spans.map(function (s) { return clock(s[0]) + "-" + clock(s[1]); }).join(", ");
  }

  function updatePreview(editor) {
    var rows = Array.prototype.map.call(editor.querySelectorAll(".js-period-row"), readRow);
    var valid = rows.every(function (p) {
      return !p.enabled || (HH_MM.test(p.starts) && HH_MM.test(p.ends) && minutes(p.starts) < endMinute(p.ends));
    });
    var stale = editor.querySelector(".js-preview-stale");
    if (stale) { stale.classList.toggle("d-none", valid); }
    if (!valid) { return; }
    DAYS.forEach(function (day, index) {
      var line = editor.querySelector(".js-week-preview tr[data-day='" + index + "']");
      if (!line) { return; }
      var spans = merged(rows.filter(function (p) { return p.enabled && p[day]; })
        .map(function (p) { return [minutes(p.starts), endMinute(p.ends)]; }));
      line.querySelector(".js-day-summary").textContent = summary(spans);
      line.querySelectorAll(".js-hour").forEach(function (cell, hour) {
        var lo = hour * 60, hi = lo + 60, covered = 0;
        spans.forEach(function (s) { covered += Math.max(0, Math.min(s[1], hi) - Math.max(s[0], lo)); });
        cell.classList.remove("bg-success", "bg-success-subtle", "bg-body-tertiary");
        cell.classList.add(covered >= 60 ? "bg-success" : covered ? "bg-success-subtle" : "bg-body-tertiary");
      });
    });
  }

  function copyRow(editor, source) {
    var rows = Array.prototype.slice.call(editor.querySelectorAll(".js-period-row"));
    var free = rows.filter(function (row, n) { return n !== source && !field(row, "enabled").checked; });
    var later = free.filter(function (row) { return parseInt(row.dataset.row, 10) > source; });
    var target = later[0] || free[0];
    if (target) { writeRow(target, readRow(rows[source])); }
  }

  function setUp(editor) {
    var presets = JSON.parse(editor.dataset.presets || "{}");
    editor.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || !editor.contains(button)) { return; }
      if (button.classList.contains("js-period-preset") && presets[button.value]) {
        event.preventDefault();
        editor.querySelectorAll(".js-period-row").forEach(function (row, n) {
          writeRow(row, presets[button.value][String(n)]);
        });
      } else if (button.classList.contains("js-period-copy")) {
        event.preventDefault();
        copyRow(editor, parseInt(button.value, 10));
      } else if (button.classList.contains("js-period-preview-button")) {
        event.preventDefault();
      } else {
        return;
      }
      updatePreview(editor);
    });
    editor.addEventListener("input", function () { updatePreview(editor); });
    editor.addEventListener("change", function () { updatePreview(editor); });
    var previewButton = editor.querySelector(".js-period-preview-button");
    if (previewButton) { previewButton.classList.add("d-none"); }
  }

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () { document.querySelectorAll(".js-period-editor").forEach(setUp); });
})();
