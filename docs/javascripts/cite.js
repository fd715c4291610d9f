/* Cite this page / cite this section. The primer's own script: no third-party code, no network.

   The build (primer.build.stages.cite, primer.site.citation_formats) writes every citation into the page, each
   format derived from one CSL-JSON record, APA and Chicago rendered by pandoc's citeproc:
   - the "Cite this page" tabs hold the static formats (what a reader without JavaScript gets: the
     URL, and the build's day as the access date, only when the site has a public address, site_url);
   - the block's data-cite-templates holds the same formats from the record the browser completes,
     with placeholders for what only the reader's browser knows: "[site URL]/" (while mkdocs.yml
     has no site_url: the site's root as the reader sees it, from data-site-root) and the access
     date ("[date]" ISO, "[date accessed]" as APA and Chicago write it, "[date, YYYY/MM/DD]" in
     RIS); the script fills them in, puts them in the tabs and the COinS span (rft_id: what
     Zotero reads first), and refreshes them just before anything is copied;
   - the block's data-cite-sections holds each h2/h3 section's citation (APA, Chicago, BibTeX) by
     anchor, with its number: the script shows the number before the heading and adds a "cite"
     button (a real button: tap, click, Enter or Space) that opens a panel with the three formats,
     each with a copy button (Material's clipboard handler copies data-clipboard-text), and links to
     the section's RIS and CSL-JSON files ("files", written by the build under cite/), which reference
     managers (Zotero's Connector among them) import on click; while the address names a section
     (#anchor), the COinS span holds that section's ("coins"), so that saving the page to Zotero
     saves the section;
   - on the bibliography page, each source document's "Cite this source" box (primer.build.stages.bibliography)
     holds in data-source-cite its reference and in-text citations rendered by the CSL processor,
     one per kind of locator, with a placeholder where the locator goes (one for a number such as
     4.2, one for a range such as 1–21, one for a name such as "Historical Context", which the styles
     word differently; primer.site.source_citations): the
     script puts in the locator the reader types, in the shown text and in what the copy buttons copy,
     and today's date as the access date of a source read online whose own date is unknown.
*/
(function () {
  "use strict";

  var SITE = "[site URL]/";
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  var LABELS = ["Chicago", "APA", "BibTeX", "RIS", "CSL-JSON"];
  var SECTION_FORMATS = [["apa", "APA"], ["chicago", "Chicago"], ["bibtex", "BibTeX"]];

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function filled(text, block) {
    var d = new Date();
    var iso = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
    var root = new URL(block.getAttribute("data-site-root") || "./", window.location.href).href;
    return text.split(SITE).join(root)
      .split("[date accessed]").join(MONTHS[d.getMonth()] + " " + d.getDate() + ", " + d.getFullYear())
      .split("[date, YYYY/MM/DD]").join(iso.split("-").join("/"))
      .split("[date]").join(iso);
  }

  function data(block, name) {
    try { return JSON.parse(block.getAttribute(name) || "{}"); } catch (e) { return {}; }
  }

  function refresh(block) {
    var templates = data(block, "data-cite-templates");
    var codes = block.querySelectorAll(".tabbed-block pre code");
    LABELS.forEach(function (label, i) {
      if (codes[i] && templates[label]) codes[i].textContent = filled(templates[label], block);
    });
    var span = block.querySelector("span.Z3988");
    var section = data(block, "data-cite-sections")[decodeURIComponent(window.location.hash.slice(1))];
    var coins = (section && section.coins) || templates.coins;  // the address names a section: Zotero saves it
    if (span && coins) {
      span.setAttribute("title", coins.map(function (pair) {
        return pair[0] + "=" + encodeURIComponent(filled(pair[1], block));
      }).join("&"));
    }
    document.querySelectorAll("[data-cite-template]").forEach(function (el) {
      el.setAttribute("data-clipboard-text", filled(el.getAttribute("data-cite-template"), block));
      var shown = el.parentElement.querySelector("code");
      if (shown) shown.textContent = el.getAttribute("data-clipboard-text");
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

  function downloads(entry, root) {
    var row = document.createElement("p");
    row.className = "cite-panel__downloads";
    row.appendChild(document.createTextNode("Import into a reference manager: "));
    Object.keys(entry.files || {}).forEach(function (label, i) {
      if (i) row.appendChild(document.createTextNode(" "));
      var link = document.createElement("a");
      link.className = "md-button cite-panel__download";
      link.href = root + entry.files[label];
      link.textContent = label;
      link.setAttribute("aria-label", label + " file of section " + entry.number);
      if (label !== "RIS") link.setAttribute("download", "");  // RIS opens in the reference manager
      row.appendChild(link);
    });
    return row;
  }

  function sectionPanel(entry, id, root) {
    var panel = document.createElement("div");
    panel.className = "cite-panel";
    panel.id = id;
    panel.hidden = true;
    panel.setAttribute("role", "group");
    panel.setAttribute("aria-label", "Cite section " + entry.number);
    SECTION_FORMATS.forEach(function (format) {
      var row = document.createElement("div");
      row.className = "cite-panel__format";
      var name = document.createElement("p");
      name.className = "cite-panel__name";
      name.textContent = format[1];
      var pre = document.createElement("pre");
      var code = document.createElement("code");
      pre.appendChild(code);
      var copy = document.createElement("button");
      copy.type = "button";
      copy.className = "cite-panel__copy md-button";
      copy.textContent = "Copy " + format[1];
      copy.setAttribute("data-cite-template", entry[format[0]]);
      copy.setAttribute("data-cite-format", format[1]);
      copy.setAttribute("data-number", entry.number);
      row.appendChild(name);
      row.appendChild(pre);
      row.appendChild(copy);
      panel.appendChild(row);
    });
    if (entry.files) panel.appendChild(downloads(entry, root));
    return panel;
  }

  function addSections(block, article) {
    var sections = data(block, "data-cite-sections");
    article.querySelectorAll("h2[id], h3[id]").forEach(function (heading) {
      var entry = sections[heading.id];
      if (!entry || heading.closest(".cite-block") || heading.querySelector(".cite-section")) return;
      var number = document.createElement("span");
      number.className = "section-number";
      number.textContent = entry.number + " ";
      heading.insertBefore(number, heading.firstChild);
      var panelId = "cite-panel-" + heading.id;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cite-section";
      button.textContent = "cite";
      button.setAttribute("aria-label", "Cite section " + entry.number + ", " + entry.heading);
      button.setAttribute("aria-expanded", "false");
      button.setAttribute("aria-controls", panelId);
      button.setAttribute("data-number", entry.number);
      var permalink = heading.querySelector(".headerlink");
      if (permalink) { permalink.after(button); } else { heading.appendChild(button); }
      heading.after(sectionPanel(entry, panelId, block.getAttribute("data-site-root") || "./"));
    });
  }

  function updateSource(box) {
    var data;
    try { data = JSON.parse(box.getAttribute("data-source-cite")); } catch (e) { return; }
    var label = box.querySelector(".source-cite__label").value;
    var value = box.querySelector(".source-cite__value").value.replace(/\s+/g, " ").trim();
    // a number (4.2), a range (1-21, written 1–21 as the processor writes it: a plural label) or a name
    var range = /^(\d+(?:\.\d+)*)\s*[-\u2013]\s*(\d+(?:\.\d+)*)$/.exec(value);
    if (range) value = range[1] + "\u2013" + range[2];
    var kind = range ? "range" : (/^\d+(\.\d+)*$/.test(value) ? "number" : "text");
    var key = label && value ? label + "-" + kind : "";
    var inText = data.in_text[key] || data.in_text[""];
    function put(style) {
      var text = inText[style];
      return key ? text.split(data.placeholders[kind]).join(value) : text;
    }
    var formats = {
      APA: data.apa + "\n\n" + put("apa"),
      Chicago: data.chicago + "\n\n" + put("chicago"),
      BibTeX: data.bibtex + (label && value ? "\n% cite with the locator (biblatex): \\autocite[" +
        data.terms[label] + " " + value + "]{" + box.getAttribute("data-source-key") + "}" : "")
    };
    box.querySelectorAll("[data-source-format]").forEach(function (el) {
      var text = filled(formats[el.getAttribute("data-source-format")], box);  // a web page's access date
      if (el.tagName === "CODE") { el.textContent = text; } else { el.setAttribute("data-clipboard-text", text); }
    });
  }

  function initSources() {
    document.querySelectorAll(".source-cite").forEach(function (box) {
      if (box.getAttribute("data-ready")) return;
      box.setAttribute("data-ready", "true");
      box.querySelectorAll(".source-cite__label, .source-cite__value").forEach(function (field) {
        field.addEventListener("input", function () { updateSource(box); });
        field.addEventListener("change", function () { updateSource(box); });
      });
      updateSource(box);
    });
  }

  // Arriving from a citation's "Cite this source" (javascripts/citation-popup.js): open that source's box
  // with the locator the reader was reading ("sec. 4.2" as section 4.2, "fig. 1" as figure 1): the kinds and
  // their terms are the box's own (data-source-cite's "terms", from primer.site.source_citations.LOCATOR_LABELS).
  function storedLocator(box, locator) {
    var data;
    try { data = JSON.parse(box.getAttribute("data-source-cite")); } catch (e) { return null; }
    var terms = data.terms || {};
    for (var label in terms) {
      var term = terms[label];
      if (locator.indexOf(term + " ") === 0) return [label, locator.slice(term.length).trim()];
    }
    return null;
  }

  function applyStoredSource() {
    var stored;
    try { stored = JSON.parse(sessionStorage.getItem("primer-cite-source") || "null"); } catch (e) { return; }
    if (!stored || !stored.key) return;
    var box = document.querySelector('.source-cite[data-source-key="' + stored.key.replace(/"/g, "") + '"]');
    if (!box) return;
    try { sessionStorage.removeItem("primer-cite-source"); } catch (e) { /* nothing to remove */ }
    var match = storedLocator(box, stored.locator || "");
    if (match) {
      box.querySelector(".source-cite__label").value = match[0];
      box.querySelector(".source-cite__value").value = match[1];
    }
    var details = box.querySelector("details");
    if (details) details.open = true;
    updateSource(box);
  }

  function init() {
    initSources();
    applyStoredSource();
    var block = document.querySelector(".cite-block");
    var article = document.querySelector("article");
    if (!block || !article) return;
    addSections(block, article);
    refresh(block);
  }

  // Capture phase, before Material's clipboard handler (which listens on the bubbling click): bring
  // the access date up to date in whatever is about to be copied; open or close a section's panel.
  document.addEventListener("click", function (event) {
    var block = document.querySelector(".cite-block");
    var target = event.target instanceof Element ? event.target : null;
    if (!block || !target) return;
    var toggle = target.closest("button.cite-section");
    if (toggle) {
      var panel = document.getElementById(toggle.getAttribute("aria-controls"));
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      if (panel) panel.hidden = !open;
      refresh(block);
      return;
    }
    var copy = target.closest("[data-cite-template]");
    if (copy || (target.closest("[data-clipboard-target]") && target.closest(".cite-block"))) {
      refresh(block);
    }
    if (copy) {
      announce(copy.getAttribute("data-cite-format") + " citation of section " +
        copy.getAttribute("data-number") + " copied to the clipboard");
    }
  }, true);

  window.addEventListener("hashchange", function () {
    var block = document.querySelector(".cite-block");
    if (block) refresh(block);
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  // Material: every page shown, instant navigation included
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
