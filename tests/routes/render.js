// The route tests' CSL processor: citeproc-js, through citation-js, renders what a reader's reference manager
// would hold after each way of taking a page's citation (tests/test_routes.py).
//
//   node tests/routes/render.js STYLES_DIR < requests.json > results.json
//
// requests.json: [{"id": ..., "format": "csl" | "ris" | "bibtex", "text": "..."}]; each text is read by
// citation-js's own parser of that format (plugin-bibtex as biblatex, plugin-ris; CSL-JSON as it is), then rendered as a
// reference-list entry in APA and Chicago author-date with the project's own styles (STYLES_DIR/apa.csl,
// STYLES_DIR/chicago-author-date.csl), each item on its own, as plain text.
// results.json: [{"id": ..., "items": [the CSL-JSON citation-js read], "apa": "...", "chicago": "..."} or
// {"id": ..., "error": "..."}]. No network: the styles are read from disk, the locale is citation-js's en-US.
"use strict";
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const { Cite, plugins } = require("@citation-js/core");
require("@citation-js/plugin-csl");
require("@citation-js/plugin-bibtex");
require("@citation-js/plugin-ris");

const STYLES = { apa: "apa.csl", chicago: "chicago-author-date.csl" };
const folder = process.argv[2];
if (!folder) {
  process.stderr.write("usage: node tests/routes/render.js STYLES_DIR < requests.json\n");
  process.exit(2);
}
const csl = plugins.config.get("@csl");
const templates = csl.templates || csl.styles;   // citation-js 0.7 names them templates, 0.8 styles
for (const [name, file] of Object.entries(STYLES)) {
  templates.add(`primer-${name}`, readFileSync(join(folder, file), "utf8"));
}

// bibtex: read as biblatex (the BibTeX the primer gives has biblatex's date, urldate and language)
const FORMATS = { csl: "@csl/list+object", ris: "@ris/file", bibtex: "@biblatex/text" };
const requests = JSON.parse(readFileSync(0, "utf8"));
const results = requests.map(({ id, format, text }) => {
  try {
    const data = format === "csl" ? JSON.parse(text) : text;
    const cite = new Cite(data, { forceType: FORMATS[format] });
    const out = { id, items: cite.data };
    for (const name of Object.keys(STYLES)) {
      out[name] = cite.format("bibliography", { format: "text", template: `primer-${name}`, lang: "en-US" }).trim();
    }
    return out;
  } catch (err) {
    return { id, error: `${format}: ${err && err.message ? err.message : err}` };
  }
});
process.stdout.write(JSON.stringify(results));
