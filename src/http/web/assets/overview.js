/*
 * Tổng quan: draws "done vs due, week by week" with uPlot (/assets/uPlot.iife.min.js, from npm,
 * served by the app) from the page's JSON block #overview-data. No inline script (CSP); the same
 * numbers are in the table under the chart, so nothing is lost without JavaScript.
 */
(function () {
  "use strict";
  var box = document.getElementById("overview-chart");
  var source = document.getElementById("overview-data");
  if (!box || !source || typeof window.uPlot !== "function") return;
  var uPlot = window.uPlot;
  var data;
  try {
    data = JSON.parse(source.textContent || "{}");
  } catch {
    return;
  }
  if (!data.labels || !data.labels.length) return;

  var xs = data.labels.map(function (_, i) {
    return i;
  });
  var top = Math.max.apply(null, data.due.concat(data.done, [1]));
  /** "29/06": the Monday of a week, short enough for a phone's axis. */
  var shortLabel = function (i) {
    var label = data.labels[i];
    return typeof label === "string" ? label.slice(0, 5) : "";
  };
  var heightFor = function (width) {
    return width < 480 ? 220 : 280;
  };

  function options(width) {
    return {
      width: width,
      height: heightFor(width),
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      legend: { live: false },
      scales: {
        x: { time: false, range: [-0.5, xs.length - 0.5] },
        y: { range: [0, Math.ceil(top * 1.15)] },
      },
      axes: [
        {
          space: width < 480 ? 44 : 56,
          incrs: [1, 2, 3, 4, 6],
          values: function (u, splits) {
            return splits.map(function (i) {
              return Number.isInteger(i) ? shortLabel(i) : "";
            });
          },
          font: "12px system-ui, sans-serif",
        },
        {
          incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
          size: 40,
          font: "12px system-ui, sans-serif",
          values: function (u, splits) {
            return splits.map(function (v) {
              return Number.isInteger(v) ? String(v) : "";
            });
          },
        },
      ],
      series: [
        { label: "Tuần", show: true },
        {
          label: data.series.due,
          stroke: "#5b6b7b",
          fill: "#a9b8c8",
          width: 1,
          points: { show: false },
          paths: uPlot.paths.bars({ size: [0.4, 28], align: -1 }),
        },
        {
          label: data.series.done,
          stroke: "#1b5e20",
          fill: "#4caf50",
          width: 1,
          points: { show: false },
          paths: uPlot.paths.bars({ size: [0.4, 28], align: 1 }),
        },
      ],
    };
  }

  var plot = new uPlot(options(box.clientWidth), [xs, data.due, data.done], box);
  box.setAttribute("data-drawn", "1");

  var pending = 0;
  window.addEventListener("resize", function () {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () {
      var width = box.clientWidth;
      plot.setSize({ width: width, height: heightFor(width) });
    });
  });
})();
