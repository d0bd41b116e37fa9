/* Enhancements only: every page works without this file. A table marked data-chart="bar" gets
   a chart drawn from its own cells (so the chart and the table show the same figures); the
   table stays, for screen readers and for reading exact numbers. No inline script anywhere. */
(function () {
  "use strict";
  var COLOURS = ["#0b3d91", "#8a8a8a", "#00703c", "#b3261e"];

  function chartTable(table) {
    if (!window.Chart) { return; }
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"), 1);
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var labels = rows.map(function (row) { return row.cells[0].textContent.trim(); });
    var datasets = heads.map(function (head, i) {
      return {
        label: head.textContent.trim(),
        data: rows.map(function (row) { return Number(row.cells[i + 1].getAttribute("data-value")); }),
        backgroundColor: COLOURS[i % COLOURS.length]
      };
    });
    var box = document.createElement("div");
    box.className = "chart";
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", table.getAttribute("data-chart-label") || "Biểu đồ");
    canvas.id = table.id ? table.id + "-bieu-do" : "";
    box.appendChild(canvas);
    table.parentNode.insertBefore(box, table);
    new window.Chart(canvas, {
      type: table.getAttribute("data-chart") || "bar",
      data: { labels: labels, datasets: datasets },
      options: {
        locale: "vi-VN",
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-chart]"), chartTable);
  });
})();
