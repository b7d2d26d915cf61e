/* Sort tables with class cj-sortable by clicking a header; filter rows with
   an <input data-filter-for="table-id">. Local file: the site loads nothing
   from the network. */
(function () {
  "use strict";
  function cellValue(row, index, kind) {
    var cell = row.cells[index];
    if (!cell) return "";
    var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
    if (kind === "number") {
      var n = parseFloat(raw.replace(/,/g, ""));
      return isNaN(n) ? -Infinity : n;
    }
    return raw;
  }
  function sortBy(table, index, kind, th) {
    var body = table.tBodies[0];
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index, kind), y = cellValue(b, index, kind);
      var order = kind === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN", { numeric: true });
      return ascending ? order : -order;
    });
    Array.prototype.forEach.call(th.parentNode.cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.forEach(function (row) { body.appendChild(row); });
  }
  function setup() {
    document.querySelectorAll("table.cj-sortable").forEach(function (table) {
      var head = table.tHead && table.tHead.rows[0];
      if (!head) return;
      Array.prototype.forEach.call(head.cells, function (th, index) {
        th.setAttribute("role", "button");
        th.setAttribute("tabindex", "0");
        var kind = th.getAttribute("data-sort") || "text";
        th.addEventListener("click", function () { sortBy(table, index, kind, th); });
        th.addEventListener("keydown", function (e) { if (e.key === "Enter") sortBy(table, index, kind, th); });
      });
    });
    document.querySelectorAll("input[data-filter-for]").forEach(function (input) {
      var table = document.getElementById(input.getAttribute("data-filter-for"));
      if (!table) return;
      input.addEventListener("input", function () {
        var needle = input.value.trim().toLowerCase();
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          row.hidden = needle !== "" && row.textContent.toLowerCase().indexOf(needle) === -1;
        });
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
