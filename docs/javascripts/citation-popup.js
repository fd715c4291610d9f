/* A citation mark's note beside it: on hover, on tap, and on keyboard focus. The primer's own script:
   no third-party code, no network.

   Each citation is a small numbered mark (a footnote reference made by hooks/marks.py); its note, at
   the foot of the page, holds the short label with the locator and the full reference. Without this
   script the mark is a link to that note, as any footnote. With it:
   - pointing at a mark, or moving the keyboard focus onto it, shows the note in a popup beside it;
   - a tap or a click shows it too, instead of jumping to the foot of the page (the popup links there);
   - Escape, a tap elsewhere, or moving the pointer or the focus away hides it.
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

  function place(mark) {
    var rect = mark.getBoundingClientRect();
    var width = Math.min(448, document.documentElement.clientWidth - 16);
    popup.style.width = width + "px";
    var left = Math.max(8, Math.min(rect.left + window.scrollX - 24,
      window.scrollX + document.documentElement.clientWidth - width - 8));
    popup.style.left = left + "px";
    popup.style.top = (rect.bottom + window.scrollY + 6) + "px";
    // Above the mark when there is no room below it.
    var below = window.innerHeight - rect.bottom;
    if (below < popup.offsetHeight + 12 && rect.top > popup.offsetHeight + 12) {
      popup.style.top = (rect.top + window.scrollY - popup.offsetHeight - 6) + "px";
    }
  }

  function show(mark) {
    var note = noteFor(mark);
    if (!note) return;
    clearTimeout(hideTimer);
    ensurePopup();
    if (current !== mark) {
      var body = note.cloneNode(true);
      body.removeAttribute("id");
      Array.prototype.forEach.call(body.querySelectorAll(".footnote-backref, [id]"), function (el) {
        if (el.classList.contains("footnote-backref")) el.remove(); else el.removeAttribute("id");
      });
      popup.innerHTML = "";
      var content = document.createElement("div");
      content.className = "cite-popup__note";
      content.innerHTML = body.innerHTML;
      popup.appendChild(content);
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
