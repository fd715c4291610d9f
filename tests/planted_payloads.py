"""Script planted in every data file of one copy of the project, built once per test run (issue 22, part 1).

Each row plants PAYLOAD(name) in one data file: an element whose error handler, and a script whose text, would
set `window.pwn<name>` in the reader's browser. tests/test_content_safety.py checks the built HTML (the payload
is shown as text where the row says, and is nowhere markup); tests/browser/test_content_safety.py loads each
row's pages in Chromium, hovers the glossary term and opens the citation popups, and checks that nothing ran.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from conftest import mkdocs_build, once_per_run, warm

from primer.build.project_parts import copy_project


def payload(name: str) -> str:
    # no digits (charts.yaml's titles and captions hold no numbers; the glossary's are figure-checked) and no
    # double quotes (which the figure check reads as a quotation)
    return f"</title><script>window.pwn{name}=true</script><img src='x' onerror='window.pwn{name}=true'>"


@dataclass(frozen=True)
class Row:
    name: str       # window.pwn<name>
    file: str       # the data file it is planted in
    after: str      # planted right after this text of the file (its first occurrence)
    pages: tuple    # URL paths of the pages that must show it as text


LI_TEXT = "sources/li-2025-two-way-internationalization.txt"
ROWS = (
    Row("Glossary", "glossary.yaml", "reinforce each other",   # in the sentence its citation closes
        ("reference/glossary/", "reference/print-edition/")),
    Row("ChartTitle", "charts.yaml", "title: Patents filed, by city", ("reference/charts/",)),
    Row("ChartCaption", "charts.yaml", "does not say what kind of patents it counts.", ("reference/charts/",)),
    Row("ChartLabel", "charts.yaml", "- label: Beijing", ("reference/charts/",)),
    Row("Manifest", "sources/manifest.yaml", "Research on the Synergistic Development of China's Two-Way",
        ("sources/li-2025-two-way-internationalization/text/",)),
    Row("Bib", "references.bib", "title     = {Research on the synergistic development",
        ("reference/bibliography/", "sources/li-2025-two-way-internationalization/")),
    Row("Title", "docs/primer/index.md", "title: The primer", ("primer/",)),
    Row("Description", "docs/primer/index.md", "description: Thematic chapters", ("primer/",)),
    Row("SourceText", LI_TEXT, "Disclaimer/Publisher's Note:",
        ("sources/li-2025-two-way-internationalization/text/",)),
    Row("Changelog", "CHANGELOG.md", "The first edition.\n", ("primer/external-risks/",)),
)
# The page on which the glossary's first term is hovered, and the one whose citation popups show Li's reference.
TOOLTIP_PAGE = "primer/what-is-dual-circulation/"
POPUP_PAGE = "sources/li-2025-two-way-internationalization/"


def _front_matter(text: str, row: Row) -> str:
    """The front-matter line that starts with ROW.after, its value a YAML double-quoted scalar holding the payload
    (for the description, after a quote that would end the attribute it is printed in)."""
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(row.after))
    key, value = lines[at].split(": ", 1)
    quote = '\\"> ' if row.name == "Description" else ""
    lines[at] = f'{key}: "{value} {quote}{payload(row.name)}"'
    return "\n".join(lines)


def plant(root: Path) -> None:
    for row in ROWS:
        path = root / row.file
        text = path.read_text(encoding="utf-8")
        assert row.after in text, f"{row.file} no longer holds {row.after!r}: choose another place for the row"
        if row.file.startswith("docs/"):
            planted = _front_matter(text, row)
        elif row.file == "CHANGELOG.md":   # a correction, listed in the corrections note of the page it names
            planted = text.replace(row.after, row.after + "\n### Corrected\n\n- `docs/primer/external-risks.md` "
                                   f"said nothing; it now says {payload(row.name)}\n", 1)
        elif row.file == "references.bib":
            planted = text.replace(row.after, row.after.replace("{", "{" + payload(row.name) + " ", 1), 1)
        else:
            planted = text.replace(row.after, row.after + " " + payload(row.name), 1)
        path.write_text(planted, encoding="utf-8")
    # the source text changed: its pinned checksum with it (the planted line is past every section's heading)
    manifest = root / "sources/manifest.yaml"
    old = hashlib.sha256((Path(__file__).resolve().parents[1] / LI_TEXT).read_bytes()).hexdigest()
    new = hashlib.sha256((root / LI_TEXT).read_bytes()).hexdigest()
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def planted_site(tmp_path_factory) -> Path:
    """The copy with every row planted, built strict once per test run (shared by both test files)."""
    def build() -> Path:
        from conftest import _shared_folder
        folder = _shared_folder(tmp_path_factory) / "planted-payloads"
        project = copy_project(folder / "project")
        warm(project)
        plant(project)
        result = mkdocs_build(project, folder / "site")
        if result.returncode != 0:
            raise RuntimeError("the build with planted payloads failed:\n" + result.stdout[-3000:] + result.stderr[-3000:])
        return folder / "site"
    return once_per_run(tmp_path_factory, "planted-payloads", build)
