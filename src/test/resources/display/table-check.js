// Checks every table the toolkit rendered (class lm-table) in the page as laid out now, and
// writes the result as JSON into a pre element with id lm-table-check, for a --dump-dom reader.
// A visible, non-empty cell must have a size, lie inside the viewport horizontally and inside
// every scrolling or clipping container around it (the toolkit's tables wrap, so no part of a
// table may need a horizontal scroll to be read), and show all its text (scrollWidth <= clientWidth + 1).
(function () {
  function label(el, n) {
    var t = (el.textContent || '').replace(/\s+/g, ' ').trim();
    return t.length > n ? t.substring(0, n) + '…' : t;
  }
  function clippingAncestors(el) {
    var out = [];
    for (var a = el.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') out.push(a);
    }
    return out;
  }
  function run() {
    var viewport = document.documentElement.clientWidth;
    var problems = [], tables = 0, cells = 0;
    document.querySelectorAll('table.lm-table').forEach(function (table, ti) {
      if (table.getClientRects().length === 0) return; // not rendered (e.g. in closed <details>)
      tables++;
      var caption = table.querySelector('caption');
      var name = 'table ' + (ti + 1) + (caption ? ' "' + label(caption, 60) + '"' : ' (no caption)');
      var boxes = clippingAncestors(table);
      for (var r = 0; r < table.rows.length; r++) {
        for (var c = 0; c < table.rows[r].cells.length; c++) {
          var cell = table.rows[r].cells[c];
          var text = label(cell, 40);
          if (text === '' || cell.getClientRects().length === 0 || getComputedStyle(cell).visibility === 'hidden') continue;
          cells++;
          var where = name + ', row ' + (r + 1) + ', column ' + (c + 1) + ' "' + text + '"';
          var b = cell.getBoundingClientRect();
          if (b.width <= 0 || b.height <= 0) {
            problems.push(where + ': zero size (' + b.width + ' × ' + b.height + ' px)');
            continue;
          }
          if (b.left < -1 || b.right > viewport + 1) {
            problems.push(where + ': outside the ' + viewport + ' px wide page (cell spans ' + Math.round(b.left) + '–' + Math.round(b.right) + ' px)');
            continue;
          }
          var hidden = boxes.filter(function (box) {
            var o = box.getBoundingClientRect();
            return b.left < o.left - 1 || b.right > o.right + 1;
          });
          if (hidden.length > 0) {
            var o = hidden[0].getBoundingClientRect();
            problems.push(where + ': outside its scrolling container <' + hidden[0].tagName.toLowerCase() + ' class="' + hidden[0].className
                + '"> (container ' + Math.round(o.left) + '–' + Math.round(o.right) + ' px, cell ' + Math.round(b.left) + '–' + Math.round(b.right) + ' px)');
            continue;
          }
          if (cell.scrollWidth > cell.clientWidth + 1) {
            problems.push(where + ': text clipped (scrollWidth ' + cell.scrollWidth + ' px > clientWidth ' + cell.clientWidth + ' px)');
          }
        }
      }
    });
    var pre = document.createElement('pre');
    pre.id = 'lm-table-check';
    pre.textContent = JSON.stringify({viewport: viewport, height: document.documentElement.scrollHeight,
        tables: tables, cells: cells, problems: problems});
    document.body.appendChild(pre);
  }
  if (document.readyState === 'complete') run(); else window.addEventListener('load', run);
})();
