/* A citation mark's passages beside it: on hover, on tap, and on keyboard focus. The primer's own script:
   no third-party code, no network.

   Each citation is a small numbered mark (a footnote reference made by primer.build.stages.marks); its note,
   at the foot of the page, is one line (the short labels with their locators) whose disclosure holds the
   passages, and the page's "Works cited" holds each work's full reference. Without this script the mark is a
   link to that note, as any footnote. With it:
   - pointing at a mark, or moving the keyboard focus onto it, shows its passages in a popup beside it (for a
     citation with no passage, the work's reference), each with a link to cite the source at that passage;
   - a tap or a click shows it too, instead of jumping to the foot of the page (the popup links there);
   - Escape, a tap elsewhere, or moving the pointer or the focus away hides it.
   The popup is at most half the window's height (it scrolls inside) and sits below the mark's line, or above
   it when there is more room there: it never covers the line being read.
*/
(function () {
  "use strict";

  var SELECTOR = 'a.footnote-ref[href^="#fn:cite-"]';
  var popup = null;
  var current = null;
  var hideTimer = null;
  var refocusing = false;  // Escape gives the focus back to the mark without showing the note again

  function noteFor(mark) {
    var id = decodeURIComponent(mark.getAttribute("href").slice(1));
    return document.getElementById(id);
  }

  function ensurePopup() {
    if (popup) return popup;
    popup = document.createElement("div");
    popup.id = "cite-popup";
    popup.className = "cite-popup md-typeset";
    popup.setAttribute("role", "tooltip");
    popup.hidden = true;
    popup.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    popup.addEventListener("mouseleave", scheduleHide);
    popup.addEventListener("focusout", function (event) {
      if (!popup.contains(event.relatedTarget) && event.relatedTarget !== current) scheduleHide();
    });
    document.body.appendChild(popup);
    return popup;
  }

  function lineBox(mark) {
    // The line the mark stands on: the mark's own box grown to the line height of its paragraph.
    var rect = mark.getBoundingClientRect();
    var block = mark.closest("p, li, td, th, dd, h1, h2, h3, h4, figcaption") || mark.parentElement;
    var lineHeight = parseFloat(getComputedStyle(block).lineHeight) || rect.height;
    var middle = (rect.top + rect.bottom) / 2;
    return {top: Math.min(rect.top, middle - lineHeight / 2), bottom: Math.max(rect.bottom, middle + lineHeight / 2),
            left: rect.left};
  }

  function place(mark) {
    var line = lineBox(mark);
    var viewport = document.documentElement.clientWidth;
    var width = Math.min(448, viewport - 16);
    popup.style.width = width + "px";
    var left = Math.max(8, Math.min(line.left + window.scrollX - 24, window.scrollX + viewport - width - 8));
    popup.style.left = left + "px";
    var below = window.innerHeight - line.bottom - 12, above = line.top - 12;
    var room = Math.max(below, above);
    popup.style.maxHeight = Math.max(96, Math.min(window.innerHeight / 2, room)) + "px";
    if (below >= popup.offsetHeight || below >= above) {
      popup.style.top = (line.bottom + window.scrollY + 6) + "px";
    } else {
      popup.style.top = (line.top + window.scrollY - popup.offsetHeight - 6) + "px";
    }
  }

  function citeLink(item) {
    // The "Cite this source" of the page's Works cited, carrying this passage's locator.
    var key = item.getAttribute("data-cite-key");
    var work = document.getElementById("work-" + key);
    var source = work && work.querySelector("a.cite-source-link");
    if (!source) return null;
    var link = source.cloneNode(true);
    link.setAttribute("data-cite-locator", item.getAttribute("data-cite-locator") || "");
    return link;
  }

  function popupBody(note) {
    // Each citation of the note in turn: its passage (with "Cite this source" at that passage's locator), or,
    // where the primer keeps none (public evidence), its label and the work's full reference from Works cited.
    var body = document.createElement("div");
    body.className = "cite-popup__note";
    var name = note.id.replace(/^fn:/, "");
    var line = note.querySelector("summary, p");
    Array.prototype.forEach.call(line ? line.querySelectorAll(".cite-item") : [], function (item, i) {
      var passage = document.getElementById(name + "-" + (i + 1));
      var copy;
      if (passage) {
        copy = passage.cloneNode(true);
        var link = citeLink(passage);
        if (link) { copy.appendChild(document.createTextNode(" ")); copy.appendChild(link); }
      } else {
        copy = document.createElement("p");
        copy.appendChild(item.cloneNode(true));
        var work = document.getElementById("work-" + item.getAttribute("data-cite-key"));
        if (work) {
          var reference = work.cloneNode(true);
          Array.prototype.forEach.call(reference.querySelectorAll("a.cite-source-link"), function (a) { a.remove(); });
          var span = document.createElement("span");
          span.className = "cite-reference";
          span.innerHTML = reference.innerHTML;
          copy.appendChild(document.createTextNode(" "));
          copy.appendChild(span);
        }
      }
      copy.className = "cite-popup__item";
      body.appendChild(copy);
    });
    Array.prototype.forEach.call(body.querySelectorAll("[id]"), function (el) { el.removeAttribute("id"); });
    return body;
  }

  function show(mark) {
    var note = noteFor(mark);
    if (!note) return;
    clearTimeout(hideTimer);
    ensurePopup();
    if (current !== mark) {
      popup.innerHTML = "";
      popup.appendChild(popupBody(note));
      var more = document.createElement("a");
      more.className = "cite-popup__more";
      more.href = mark.getAttribute("href");
      more.textContent = "Note " + mark.textContent.trim() + " in the list of notes";
      popup.appendChild(more);
      if (current) current.removeAttribute("aria-describedby");
      current = mark;
    }
    mark.setAttribute("aria-describedby", "cite-popup");
    popup.hidden = false;
    place(mark);
  }

  function hide() {
    clearTimeout(hideTimer);
    if (popup) popup.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250);
  }

  function markOf(event) {
    return event.target.closest ? event.target.closest(SELECTOR) : null;
  }

  document.addEventListener("mouseover", function (event) {
    var mark = markOf(event);
    if (mark) show(mark);
  });
  document.addEventListener("mouseout", function (event) {
    var mark = markOf(event);
    if (mark && !(popup && popup.contains(event.relatedTarget))) scheduleHide();
  });
  document.addEventListener("focusin", function (event) {
    var mark = markOf(event);
    if (mark && !refocusing) show(mark);
  });
  document.addEventListener("focusout", function (event) {
    var mark = markOf(event);
    if (mark && !(popup && popup.contains(event.relatedTarget))) scheduleHide();
  });
  // "Cite this source" in a note: the bibliography page's box for that source opens with this locator
  // filled in (docs/javascripts/cite.js reads it), so the reader copies the source's own reference.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.cite-source-link") : null;
    if (!link) return;
    try {
      sessionStorage.setItem("primer-cite-source", JSON.stringify({
        key: link.getAttribute("data-cite-key"), locator: link.getAttribute("data-cite-locator") || ""}));
    } catch (e) { /* storage refused: the link still leads to the source's entry */ }
  }, true);
  // "Note 3 in the list of notes": the note opens on its passages.
  document.addEventListener("click", function (event) {
    var more = event.target.closest ? event.target.closest("a.cite-popup__more") : null;
    var note = more && document.getElementById(decodeURIComponent(more.getAttribute("href").slice(1)));
    var details = note && note.querySelector("details.cite-note");
    if (details) details.open = true;
  }, true);
  document.addEventListener("click", function (event) {
    var mark = markOf(event);
    if (mark) {
      event.preventDefault();
      show(mark);
      return;
    }
    if (popup && !popup.hidden && !popup.contains(event.target)) hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && popup && !popup.hidden) {
      var mark = current;
      hide();
      if (mark) { refocusing = true; mark.focus(); refocusing = false; }
    }
  });
  window.addEventListener("resize", function () { if (current && popup && !popup.hidden) place(current); });
})();
