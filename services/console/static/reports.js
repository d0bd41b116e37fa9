/* Reports: a table marked data-report-chart="bar|line" gets a chart drawn from its own cells —
   the row headings are the labels, each column whose heading has data-series is a series, each
   value its cell's data-value — so the chart and the table always show the same figures. The
   table stays, for reading exact numbers and for screen readers. No inline script anywhere. */
(function () {
  "use strict";
  var COLOURS = ["#0b3d91", "#b3261e", "#00703c", "#8a4b00", "#4c2c92", "#4a4a4a"];
  var DASHES = [[], [6, 3], [2, 2], [8, 2, 2, 2], [1, 3], [10, 5]];

  function number(text) {
    return text === null || text === "" ? null : Number(text);
  }

  function draw(table) {
    if (!window.Chart) { return; }
    var kind = table.getAttribute("data-report-chart") === "line" ? "line" : "bar";
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var labels = rows.map(function (row) { return row.cells[0].textContent.trim(); });
    var datasets = [];
    heads.forEach(function (head, column) {
      if (!head.hasAttribute("data-series")) { return; }
      var i = datasets.length;
      datasets.push({
        label: head.textContent.trim(),
        data: rows.map(function (row) { return number(row.cells[column].getAttribute("data-value")); }),
        backgroundColor: COLOURS[i % COLOURS.length],
        borderColor: COLOURS[i % COLOURS.length],
        borderDash: kind === "line" ? DASHES[i % DASHES.length] : undefined,
        pointStyle: ["circle", "rect", "triangle", "rectRot", "star", "cross"][i % 6],
        pointRadius: kind === "line" ? 4 : undefined
      });
    });
    if (!datasets.length || !rows.length) { return; }
    var box = document.createElement("div");
    box.className = "chart";
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", table.getAttribute("data-chart-label") || "Biểu đồ");
    canvas.id = table.id + "-bieu-do";
    box.appendChild(canvas);
    var holder = table.closest(".table-scroll") || table;
    holder.parentNode.insertBefore(box, holder);
    new window.Chart(canvas, {
      type: kind,
      data: { labels: labels, datasets: datasets },
      options: {
        locale: "vi-VN",
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: kind === "bar" && labels.length > 8 ? "y" : "x",
        plugins: { legend: { labels: { usePointStyle: kind === "line" } } },
        scales: kind === "bar" && labels.length > 8
          ? { x: { beginAtZero: true, ticks: { precision: 0 } } }
          : { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-report-chart]"), draw);
  });
})();
