"""A primer ten times today's size, for the bench (issue #23: "a build that scales").

`make_tenfold(dest, factor)` copies the project into DEST and multiplies its corpus: each source document is
added FACTOR - 1 more times under a key and file of its own (the same text: the checks do the same work on each
copy), and each source chapter and thematic chapter FACTOR - 1 more times, citing its own copy of each source, in
the navigation beside the original. The same kinds of pages, the same checks, the same budgets: 40 sources and
120 chapters from today's 4 and 12. `bench_tenfold` builds it strictly, cold then warm, and measures a live
reload after one edit; the report gives the build's time per page and per citation, against today's.
"""
from __future__ import annotations

import re
import statistics
import time
from pathlib import Path

from primer import ROOT
from primer.build.project_parts import copy_project

CITE_KEY = re.compile(r"(?<=@)([a-z][a-z0-9]*)(?=[\s,;\]])")


def make_tenfold(dest: Path, factor: int = 10, root: Path = ROOT) -> dict:
    """The tenfold project in DEST; returns its counts (sources, chapters, citations)."""
    import yaml

    project = copy_project(dest, root=root)
    manifest_path = project / "sources" / "manifest.yaml"
    manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    originals = list(manifest["sources"])
    bib_path = project / "references.bib"
    bib = bib_path.read_text(encoding="utf-8")
    keys = {s["key"] for s in originals}
    config_path = project / "mkdocs.yml"
    config = config_path.read_text(encoding="utf-8")
    chapters = sorted(p.relative_to(project / "docs").as_posix() for d in ("primer", "sources")
                      for p in (project / "docs" / d).glob("*.md") if p.name != "index.md")
    new_entries, new_bib, nav_lines = [], [], []
    for copy in range(1, factor):
        suffix = f"x{copy}"
        for source in originals:
            entry = dict(source)
            old_file = Path(source["file"])
            entry["key"] = source["key"] + suffix
            entry["file"] = f"sources/{old_file.stem}-{suffix}.txt"
            if source.get("chapter"):
                entry["chapter"] = str(Path(source["chapter"]).with_name(f"{Path(source['chapter']).stem}-{suffix}.md"))
            (project / entry["file"]).write_bytes((project / old_file).read_bytes())
            new_entries.append(entry)
            block = re.search(rf"@\w+\{{{re.escape(source['key'])},.*?\n\}}\n", bib, re.S).group(0)
            block = block.replace(f"{{{source['key']},", f"{{{entry['key']},", 1).replace(str(old_file), entry["file"])
            new_bib.append(block)
        for chapter in chapters:
            text = (project / "docs" / chapter).read_text(encoding="utf-8")
            text = CITE_KEY.sub(lambda m, suffix=suffix: m.group(1) + suffix if m.group(1) in keys else m.group(1),
                                text)
            target = Path(chapter).with_name(f"{Path(chapter).stem}-{suffix}.md").as_posix()
            (project / "docs" / target).write_text(text, encoding="utf-8")
            nav_lines.append(target)
    manifest["sources"] = originals + new_entries
    manifest_path.write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8")
    bib_path.write_text(bib.rstrip("\n") + "\n\n" + "\n".join(new_bib), encoding="utf-8")
    # the new chapters in the navigation, in a section of their own
    extra = "\n".join(f'      - "{Path(page).stem}": {page}' for page in nav_lines)
    config = config.replace("  - Reference:\n", f"  - More chapters:\n{extra}\n  - Reference:\n", 1)
    config_path.write_text(config, encoding="utf-8")
    citations = sum(len(re.findall(r"\[[^\]\n]*@", (project / "docs" / p).read_text(encoding="utf-8")))
                    for p in [*chapters, *nav_lines])
    return {"sources": len(manifest["sources"]), "chapters": len(chapters) + len(nav_lines), "citation_blocks": citations}


def bench_tenfold(tmp: Path, runs: int, today: dict) -> dict:
    """The tenfold primer built strictly (cold once, then warm RUNS times) and a live reload after one edit;
    per page and per citation, against TODAY's warm build ({"median_s", "pages"})."""
    from primer.bench.builds import baseline_config, same_pages_docs, timed_build
    from primer.bench.reload import measure_reload

    project = tmp / "tenfold"
    counts = make_tenfold(project)
    site = tmp / "tenfold-site"
    cold, _, _ = timed_build(["--strict"], site, cwd=project)
    warm = [timed_build(["--strict"], site, cwd=project)[0] for _ in range(runs)]
    pages = sum(1 for _ in site.rglob("index.html"))
    median = statistics.median(warm)
    start = time.monotonic()
    try:
        reload = measure_reload(project, "primer/external-risks.md", max(3, runs // 2))
    except Exception as error:  # noqa: BLE001 - reported, never a crash of the rest of the bench
        reload = {"available": False, "why": f"{type(error).__name__}: {error}"}
    try:   # the floor: Material alone on the same pages (MkDocs rebuilds every page on any change)
        material = tmp / "tenfold-material"
        baseline_config(material, same_pages_docs(material / "docs", root=project), root=project)
        reload_material = measure_reload(material, "primer/external-risks.md", max(3, runs // 2))
    except Exception as error:  # noqa: BLE001 - reported, never a crash of the rest of the bench
        reload_material = {"available": False, "why": f"{type(error).__name__}: {error}"}
    return {**counts, "pages": pages, "cold_s": cold, "warm_median_s": median, "warm_runs": warm,
            "per_page_ms": 1000 * median / pages, "per_citation_ms": 1000 * median / max(1, counts["citation_blocks"]),
            "ratio_to_today": median / today["median_s"] if today.get("median_s") else None,
            "reload": reload, "reload_material": reload_material, "reload_measured_in_s": time.monotonic() - start}
