"""Strict means strict, however the build is run (issue #22): with -q, -v or neither, every warning stops
`mkdocs build --strict` and is named, MkDocs' own (a missing page, a missing anchor) and the project's (a
missing description). Each row is planted in one copy of the project, built
three ways; each must fail and name its defect's place. (A figure check's problem, the glossary's included, stops
the build on its own, whatever the flags: tests/figure_check/test_reader_words.py and test_glossary.py.)"""
from __future__ import annotations

import subprocess

import pytest
from conftest import mkdocs_build

# (what, file, old text or None to append, new text, what the output must name)
DEFECTS = [
    ("a link to a missing page", "docs/primer/external-risks.md", None,
     "\n\nSee [the missing page](no-such-page.md).\n", "no-such-page.md"),
    ("a link to a missing anchor", "docs/primer/domestic-circulation.md", None,
     "\n\nSee [the anchor](external-risks.md#no-such-anchor).\n", "no-such-anchor"),
    ("a page with no description", "docs/primer/index.md", "description:", "summary:", "no `description`"),
    ("an inline script in a chapter", "docs/primer/technology-self-reliance.md", None,
     "\n\n<script>window.plantedByTest = true</script>\n", "an inline <script> that is not the theme's"),
]


@pytest.fixture(scope="module")
def broken(tmp_path_factory, built_site):
    """One copy of the project holding every defect above (warm caches: only what changed is redone)."""
    from conftest import copy_project, warm
    project = copy_project(tmp_path_factory.mktemp("strict") / "project")
    warm(project)
    for _, rel, old, new, _ in DEFECTS:
        path = project / rel
        text = path.read_text(encoding="utf-8")
        if old is None:
            text += new
        else:
            assert text.count(old) >= 1, f"{rel} no longer holds {old!r}: update the planted defect"
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    return project


def build(project, *flags) -> subprocess.CompletedProcess:
    return mkdocs_build(project, project.parent / f"site{''.join(flags)}", *flags)


@pytest.mark.parametrize("flags", [(), ("-q",), ("-v",)], ids=["plain", "quiet", "verbose"])
def test_every_warning_stops_a_strict_build_however_it_is_run(broken, flags):
    result = build(broken, *flags)
    output = result.stdout + result.stderr
    assert result.returncode == 1, f"mkdocs build --strict {' '.join(flags)} passed with {len(DEFECTS)} defects:\n{output[-3000:]}"
    assert "Traceback" not in output, output[-3000:]
    missing = [what for what, _, _, _, named in DEFECTS if named not in output]
    assert not missing, f"--strict {' '.join(flags)} did not name: {missing}\n{output[-4000:]}"
    assert "strict mode:" in output
    if flags == ("-q",):   # quiet: the terminal stays quiet but for the error that lists each warning
        assert "WARNING -" not in output and "shown here because -q hides them" in output
