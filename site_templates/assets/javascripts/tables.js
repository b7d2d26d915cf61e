/* Sort tables with class cj-sortable by clicking a header; filter rows with a
   filter bar (.cj-filters); copy a reminder text. Local file: the site loads nothing
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
  /* A row shows when it passes every filter of the bar: the text box (a part of its unit, an owner's name or
     phone: data-find) and each choice (data-building, data-stage, data-limitation: a word of the attribute). */
  function setupFilters(bar) {
    var tables = document.querySelectorAll(bar.getAttribute("data-filter-tables"));
    var controls = bar.querySelectorAll("[data-filter]");
    var count = bar.querySelector("[data-filter-count]");
    function apply() {
      var shown = 0, total = 0, active = false;
      var wanted = Array.prototype.map.call(controls, function (c) {
        var value = c.value.trim().toLowerCase();
        if (value) active = true;
        return { key: c.getAttribute("data-filter"), value: value };
      });
      tables.forEach(function (table) {
        Array.prototype.forEach.call(table.tBodies[0] ? table.tBodies[0].rows : [], function (row) {
          var ok = wanted.every(function (w) {
            if (!w.value) return true;
            var have = (row.getAttribute("data-" + w.key) || "").toLowerCase();
            if (w.key === "find") return have.indexOf(w.value.replace(/\s+/g, " ")) !== -1;
            return (" " + have + " ").indexOf(" " + w.value + " ") !== -1;
          });
          row.hidden = !ok;
          total += 1;
          if (ok) shown += 1;
        });
      });
      if (count) count.textContent = active ? "显示 " + shown + " / " + total + " 行" : "";
    }
    Array.prototype.forEach.call(controls, function (c) {
      c.addEventListener("input", apply);
      c.addEventListener("change", apply);
    });
  }
  /* The reminder text next to the button, onto the clipboard (or selected, where the clipboard is not allowed). */
  function copyText(button) {
    var text = button.previousElementSibling;
    function selectIt() {
      var range = document.createRange();
      range.selectNodeContents(text);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
    function done(word) { button.textContent = word; setTimeout(function () { button.textContent = "复制"; }, 2000); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text.textContent).then(function () { done("已复制"); }, function () { selectIt(); done("已选中，请手动复制"); });
    } else {
      selectIt();
      done("已选中，请手动复制");
    }
  }
  /* A Markdown table wider than the screen scrolls inside Material's wrapper: make that wrapper reachable by
     keyboard and named, so it can be scrolled without a mouse (WCAG 2.1.1). */
  function scrollableTables() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "表格，可左右滚动");
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  function setup() {
    scrollableTables();
    /* Material's search dialog has no name (axe: aria-dialog-name); named here rather than by overriding its
       partial, which Zensical's header does not share. */
    document.querySelectorAll(".md-search[role='dialog']:not([aria-label])").forEach(function (dialog) {
      dialog.setAttribute("aria-label", "搜索");
    });
    /* Zensical puts a hidden colour-scheme radio on every page even without a palette: out of the tab order. */
    document.querySelectorAll("input.md-option[aria-hidden='true']").forEach(function (input) {
      input.setAttribute("tabindex", "-1");
    });
    window.addEventListener("resize", scrollableTables);
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
    document.querySelectorAll(".cj-filters[data-filter-tables]").forEach(setupFilters);
    document.querySelectorAll("button.cj-copy").forEach(function (button) {
      button.addEventListener("click", function () { copyText(button); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
