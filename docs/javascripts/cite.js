/* Cite this page / cite this section. The primer's own script: no third-party code, no network.

   The build (hooks/cite.py, scripts/cite.py) writes every citation into the page. Two things
   only the reader's browser knows are left as placeholders, which read sensibly without
   JavaScript:
   - "[date]", the access date: filled in with the reader's date (YYYY-MM-DD) when the page is
     shown, and refreshed just before any citation is copied (a page left open overnight);
   - "[site URL]/", present only while mkdocs.yml has no site_url: replaced by the address of
     the site's root as the reader sees it (the block's data-site-root, resolved against
     location), so the URL is the page's own address without its query or fragment.
   Each h2/h3 heading of the article gets a "cite" button beside its permalink that copies
   "<page citation>, § <number> “<heading>”, <URL>#<id> (accessed <date>)."; the numbers follow
   the page's h2/h3 order (2, 2.1, …). Copying goes through Material's clipboard handler, which
   copies any element's data-clipboard-text.
*/
(function () {
  "use strict";

  var DATE = "[date]";
  var SITE = "[site URL]/";
  var templates = [];  // [text node, its text as built]

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function filled(text, block) {
    var root = new URL(block.getAttribute("data-site-root") || "./", window.location.href).href;
    return text.split(DATE).join(today()).split(SITE).join(root);
  }

  function headingText(heading) {
    var copy = heading.cloneNode(true);
    copy.querySelectorAll(".headerlink, .cite-section").forEach(function (el) { el.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function sectionCitation(block, button) {
    return block.getAttribute("data-cite-section") + ", § " + button.getAttribute("data-number") +
      " “" + button.getAttribute("data-heading") + "”, " + filled(block.getAttribute("data-cite-url"), block) +
      "#" + button.getAttribute("data-anchor") + " (accessed " + today() + ").";
  }

  function refresh(block) {
    templates.forEach(function (entry) { entry[0].nodeValue = filled(entry[1], block); });
    document.querySelectorAll("button.cite-section").forEach(function (button) {
      button.setAttribute("data-clipboard-text", sectionCitation(block, button));
    });
  }

  function announce(message) {
    var status = document.querySelector(".cite-status");
    if (!status) {
      status = document.createElement("div");
      status.className = "cite-status";
      status.setAttribute("role", "status");
      document.body.appendChild(status);
    }
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function addSectionButtons(block, article) {
    var h2 = 0, h3 = 0;
    article.querySelectorAll("h2[id], h3[id]").forEach(function (heading) {
      if (heading.closest(".cite-block")) return;
      if (heading.tagName === "H2") { h2 += 1; h3 = 0; } else { h3 += 1; }
      if (heading.querySelector(".cite-section")) return;
      var number = heading.tagName === "H2" ? String(h2) : h2 + "." + h3;
      var text = headingText(heading);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cite-section";
      button.textContent = "cite";
      button.setAttribute("aria-label", "Cite section " + number + ", " + text);
      button.setAttribute("title", "Copy a citation of section " + number);
      button.setAttribute("data-number", number);
      button.setAttribute("data-heading", text);
      button.setAttribute("data-anchor", heading.id);
      button.setAttribute("data-clipboard-text", sectionCitation(block, button));
      var permalink = heading.querySelector(".headerlink");
      if (permalink) { permalink.after(button); } else { heading.appendChild(button); }
    });
  }

  function init() {
    var block = document.querySelector(".cite-block");
    var article = document.querySelector("article");
    if (!block || !article) return;
    templates = [];
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest("pre") &&
          (node.nodeValue.indexOf(DATE) !== -1 || node.nodeValue.indexOf(SITE) !== -1)) {
        templates.push([node, node.nodeValue]);
      }
    }
    addSectionButtons(block, article);
    refresh(block);
  }

  // Before Material's clipboard handler (which listens on the bubbling click): bring the
  // access date up to date in whatever is about to be copied.
  document.addEventListener("click", function (event) {
    var block = document.querySelector(".cite-block");
    var target = event.target instanceof Element ? event.target : null;
    if (!block || !target) return;
    var section = target.closest("button.cite-section");
    if (section || (target.closest("[data-clipboard-target]") && target.closest(".cite-block"))) {
      refresh(block);
    }
    if (section) {
      announce("Citation of section " + section.getAttribute("data-number") + " copied to the clipboard");
    }
  }, true);

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  // Material: every page shown, instant navigation included
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
