// Interactive figures. A figure with a chart carries <span class="rundocs-chart" data-spec=...
// data-library=...> beside its static image, naming files in the image's folder. Where scripts
// run, this waits until the figure comes near the screen (or the reader points at it or tabs
// to it), then loads the shared Vega-Embed script (once, from this site), draws the chart from
// its spec (a file the build wrote from the run), laid out for the width it gets, and hides the
// static image. Until then, and without scripts, the static image stands: a reader who never
// scrolls to a chart never pays for its script.
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

  // Text, axes and legends take the page's own text colour, so light and dark both read, and
  // at least the page's smallest text size (12 px), since the chart is drawn at the size shown.
  const ink = "currentColor";
  const size = 12;
  const config = {
    background: null,
    axis: { labelColor: ink, titleColor: ink, domainColor: ink, tickColor: ink, gridOpacity: 0.25,
            labelFontSize: size, titleFontSize: size },
    legend: { labelColor: ink, titleColor: ink, labelFontSize: size, titleFontSize: size },
    title: { color: ink, fontSize: size + 1 },
    text: { color: ink, fontSize: size },
  };

  // Lay the spec out for ``width`` pixels, given the ``margin`` a panel takes beside its plot
  // (axes, titles, legend): side-by-side panels that do not fit are stacked, with legends
  // below, and a panel wider than the room is narrowed, its height kept in proportion (at
  // least 60%; exactly, for a picture), so the chart is drawn at the size shown instead of
  // being shrunk as one picture.
  // Lines of at most ``room`` pixels (about 7 px a character at 12 px), broken between words.
  function wrap(text, room) {
    if (![].concat(text).every(function (t) { return typeof t === "string"; })) return text;
    const most = Math.max(16, Math.floor(room / 7));
    return [].concat(text).reduce(function (lines, line) {
      line.split(" ").forEach(function (word) {
        const last = lines[lines.length - 1];
        if (last !== undefined && (last + " " + word).length <= most && !last.endsWith("\n")) {
          lines[lines.length - 1] = last + " " + word;
        } else {
          lines.push(word);
        }
      });
      lines[lines.length - 1] += "\n";  // a line of the source ends here
      return lines;
    }, []).map(function (line) { return line.trim(); });
  }

  // The spec laid out for ``width`` pixels when a panel takes ``margin`` pixels beside its plot
  // (axes, titles, legend): side by side while each panel keeps at least 220 px (never, with
  // ``stack``), else stacked; each panel no wider than its room, its height kept in proportion
  // (at least 60%; exactly, for a picture), so the chart is drawn at the size shown instead of
  // being shrunk as one picture.
  function fit(source, width, margin, stack) {
    const spec = JSON.parse(source);
    const panels = spec.hconcat || spec.vconcat || [spec];
    const stacked = !spec.hconcat || stack || width / panels.length - margin < 220;
    if (spec.hconcat && stacked) {
      spec.vconcat = spec.hconcat;
      delete spec.hconcat;
    }
    const room = Math.floor(stacked ? width - margin : width / panels.length - margin);
    panels.forEach(function (panel) {
      if (panel.title && room > 0) {  // a title wider than its panel would widen the chart
        const title = typeof panel.title === "object" && !Array.isArray(panel.title)
          ? panel.title : { text: panel.title };
        title.text = wrap(title.text, room);
        if (title.subtitle) title.subtitle = wrap(title.subtitle, room);
        panel.title = title;
      }
      if (!(panel.width > room && room > 0)) return;
      const ratio = room / panel.width;
      const mark = panel.mark || {};
      if (typeof mark.width === "number") {  // a picture: it keeps its shape
        mark.width = Math.floor(mark.width * ratio);
        if (typeof mark.height === "number") mark.height = Math.round(mark.height * ratio);
        if (panel.height) panel.height = Math.round(panel.height * ratio);
      } else if (panel.height) {
        panel.height = Math.round(panel.height * Math.max(0.6, ratio));
      }
      panel.width = room;
    });
    return { spec: spec, panels: panels.length, stacked: stacked,
             plotted: panels.reduce(function (sum, p) {
               return stacked ? Math.max(sum, p.width || 0) : sum + (p.width || 0);
             }, 0) };
  }

  async function embed(view, spec, narrow) {
    const settings = narrow ? Object.assign({}, config, {
      legend: Object.assign({}, config.legend, { orient: "bottom", direction: "horizontal" }),
    }) : config;
    return window.vegaEmbed(view, spec, { actions: false, renderer: "svg", config: settings });
  }

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
    const width = view.clientWidth || figure.clientWidth;
    const source = JSON.stringify(spec);
    let laid = fit(source, width, 60, false);
    let result = await embed(view, laid.spec, true);
    // Axes, titles and legends took more room than guessed: lay it out once more with the room
    // they took.
    const drawn = view.querySelector("svg");
    const over = drawn ? drawn.width.baseVal.value - width : 0;
    if (over > 1) {
      const margin = (drawn.width.baseVal.value - laid.plotted) / (laid.stacked ? 1 : laid.panels);
      result.finalize();
      view.textContent = "";
      laid = fit(source, width, margin + 2, laid.stacked);
      result = await embed(view, laid.spec, true);
    }
    image.style.display = "none";  // the static figure, for readers without scripts
    figure.classList.add("rundocs-interactive");
  }

  function drawOnce(marker) {
    if (marker.dataset.drawn) return;
    draw(marker).catch(function (error) { console.warn("interactive figure:", error); });
  }

  // Near the screen means within a quarter of a screen's height of it: the chart is drawn
  // as the reader scrolls towards it.
  const near = "IntersectionObserver" in window ? new IntersectionObserver(function (seen) {
    seen.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      near.unobserve(entry.target);
      drawOnce(entry.target.querySelector(".rundocs-chart"));
    });
  }, { rootMargin: "25% 0px" }) : null;

  function start() {
    document.querySelectorAll(".rundocs-chart:not([data-drawn])").forEach(function (marker) {
      const figure = marker.closest("figure") || marker.parentElement;
      if (!near) return drawOnce(marker);
      near.observe(figure);
      ["pointerenter", "focusin", "touchstart"].forEach(function (event) {
        figure.addEventListener(event, function () { drawOnce(marker); },
                                { once: true, passive: true });
      });
    });
  }

  if (window.document$) window.document$.subscribe(start);  // Material's instant navigation
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
