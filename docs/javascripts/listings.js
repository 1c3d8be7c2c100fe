// Keyboard access to listings that scroll sideways. The theme makes a scrolling code block
// focusable when it mounts the block, and mounts each block only as it comes into view
// (content.lazy, which keeps long pages fast); this makes every scrolling block focusable at
// once, so the Tab key reaches the ones below too. All sizes are read before any is written:
// one layout, not one per block.
(function () {
  "use strict";

  function reachable() {
    const blocks = [...document.querySelectorAll(".md-typeset pre > code:not([tabindex])")];
    const scrolling = blocks.filter(function (code) { return code.scrollWidth > code.clientWidth; });
    scrolling.forEach(function (code) { code.setAttribute("tabindex", "0"); });
  }

  document.addEventListener("toggle", reachable, true);  // a folded listing, opened
  if (window.document$) window.document$.subscribe(reachable);  // Material's instant navigation
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", reachable);
  else reachable();
})();
