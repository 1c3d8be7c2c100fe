// Interactive figures. A figure with a chart carries <span class="rundocs-chart" data-spec=...
// data-library=...> beside its static image, naming files in the image's folder. Where scripts
// run, this loads the shared Vega-Embed script (once, from this site), draws the chart from its
// spec (a file the build wrote from the run) and hides the static image; without scripts the
// image stays.
(function () {
  "use strict";
  let library = null;

  function load(src) {
    if (!library) {
      library = new Promise(function (resolve, reject) {
        const script = document.createElement("script");
        script.src = src;
        script.onload = resolve;
        script.onerror = function () { reject(new Error("could not load " + src)); };
        document.head.appendChild(script);
      });
    }
    return library;
  }

  // Text, axes and legends take the page's own text colour, so light and dark both read.
  const ink = "currentColor";
  const config = {
    background: null,
    axis: { labelColor: ink, titleColor: ink, domainColor: ink, tickColor: ink, gridOpacity: 0.25 },
    legend: { labelColor: ink, titleColor: ink },
    title: { color: ink },
    text: { color: ink },
  };

  async function draw(marker) {
    marker.dataset.drawn = "yes";
    const figure = marker.closest("figure") || marker.parentElement;
    const image = figure.querySelector("img");
    const folder = image.currentSrc || image.src;
    const [spec] = await Promise.all([
      fetch(new URL(marker.dataset.spec, folder)).then(function (r) { return r.json(); }),
      load(new URL(marker.dataset.library, folder).href),
    ]);
    spec.description = image.alt;
    const view = document.createElement("div");
    view.className = "rundocs-chart-view";
    figure.insertBefore(view, figure.firstChild);
    await window.vegaEmbed(view, spec, { actions: false, renderer: "svg", config: config });
    image.style.display = "none";  // the static figure, for readers without scripts
    figure.classList.add("rundocs-interactive");
  }

  function start() {
    document.querySelectorAll(".rundocs-chart:not([data-drawn])").forEach(function (marker) {
      draw(marker).catch(function (error) { console.warn("interactive figure:", error); });
    });
  }

  if (window.document$) window.document$.subscribe(start);  // Material's instant navigation
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
