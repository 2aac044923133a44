// The patient's pain chart: data from /patients/<id>/chart.json, drawn by the vendored Chart.js.
(function () {
  "use strict";

  function draw(canvas, data) {
    var flagged = data.flags.map(function (flag) {
      return { x: flag.day, y: 10, findings: flag.findings, severity: flag.severity };
    });
    canvas.dataset.points = String(data.pain.length);
    canvas.dataset.flags = String(flagged.length);
    var chart = new window.Chart(canvas, {
      type: "line",
      data: {
        datasets: [
          {
            label: "Pain (0-10)",
            data: data.pain.map(function (p) { return { x: p.day, y: p.score }; }),
            borderColor: "#476582",
            backgroundColor: "#476582",
            tension: 0.2
          },
          {
            label: "Red flags",
            type: "scatter",
            data: flagged,
            pointStyle: "triangle",
            pointRadius: 8,
            borderColor: "#b00020",
            backgroundColor: "#b00020"
          }
        ]
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        parsing: true,
        scales: {
          x: { type: "linear", title: { display: true, text: "Post-op day" } },
          y: { min: 0, max: 10, title: { display: true, text: "Pain" } }
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: function (item) {
                var raw = item.raw;
                if (raw.findings) { return raw.severity + ": " + raw.findings.join(", "); }
                return "Day " + raw.x + ": pain " + raw.y;
              }
            }
          }
        }
      }
    });
    canvas.dataset.drawn = "1";
    return chart;
  }

  function load(canvas) {
    var status = document.getElementById(canvas.dataset.status || "");
    fetch(canvas.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        if (status) {
          status.textContent = data.pain.length || data.flags.length ? "" : "No pain scores yet.";
        }
        draw(canvas, data);
      })
      .catch(function () {
        if (status) { status.textContent = "The pain chart could not be loaded."; }
      });
  }

  document.querySelectorAll("canvas[data-pain-chart]").forEach(load);
})();
