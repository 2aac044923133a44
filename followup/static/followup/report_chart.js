// The reports page's bar charts: figures from each canvas's data-report-chart, drawn by Chart.js.
(function () {
  "use strict";

  function draw(canvas) {
    var data = JSON.parse(canvas.dataset.reportChart);
    canvas.dataset.bars = String(data.values.length);
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{ label: canvas.dataset.label || "", data: data.values, backgroundColor: "#476582" }]
      },
      options: {
        animation: false,
        indexAxis: canvas.hasAttribute("data-horizontal") ? "y" : "x",
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
    canvas.dataset.drawn = "1";
  }

  document.querySelectorAll("canvas[data-report-chart]").forEach(draw);
})();
