"""primer.build.footnotes: the same footnote HTML as Python-Markdown's own extension, in less time."""
from __future__ import annotations

import re
from types import SimpleNamespace

import markdown
import pytest
from conftest import ROOT, site_markdown
from markdown.extensions.footnotes import FootnoteExtension
from markdown.inlinepatterns import InlineProcessor
from mkdocs.exceptions import PluginError

from primer.build import footnotes, mkdocs_yml
from primer.site import glossary as _glossary

FastFootnoteExtension = footnotes.FastFootnoteExtension
abbreviations, load, triggers = _glossary.abbreviations, _glossary.load, _glossary.triggers

CITATION = re.compile(r"\[@([\w:-]+)[^\]]*\]")  # a citation block; its first key
DOCS = sorted((ROOT / "docs").rglob("*.md"))


def to_html(text: str, footnote_extension) -> str:
    return site_markdown(footnote_extension).convert(text)


def as_cited(text: str) -> str:
    """The page as the build's stages leave it: each citation a reference to its work's one footnote
    (mkdocs-bibtex), the glossary's abbreviations at the end (primer.build.stages.glossary)."""
    keys = dict.fromkeys(CITATION.findall(text))
    cited = CITATION.sub(r"[^\1]", text)
    notes = "\n".join(f"[^{key}]: The work {key}." for key in keys)
    return f"{cited}\n\n{notes}\n\n{abbreviations(load(ROOT))}\n"


@pytest.mark.parametrize("page", DOCS, ids=lambda p: p.relative_to(ROOT / "docs").as_posix())
def test_every_page_gets_the_same_html_as_with_python_markdowns_own_footnotes(page):
    text = as_cited(page.read_text(encoding="utf-8"))
    assert to_html(text, FastFootnoteExtension()) == to_html(text, FootnoteExtension())


@pytest.mark.parametrize("text", [
    # one footnote cited 300 times, another in between, one never cited
    " ".join(f"S{i}.[^a]" + (" T.[^b]" if i % 7 == 0 else "") for i in range(300))
    + "\n\n[^a]: A.\n[^b]: B.\n[^c]: C.\n",
    # ids that look like the numbered ones, and ids that hold the separator
    "x[^fnref2] y[^2] z[^fnref2] w[^2:3] v[^2:3] u[^a:b:c] t[^a:b:c] s[^2]\n\n"
    "[^fnref2]: one\n[^2]: two\n[^2:3]: three\n[^a:b:c]: four\n",
    # references inside footnotes and tables
    "A[^n] B[^n]\n\n| c | d |\n|---|---|\n| e[^n] | f[^m] |\n\n[^n]: N[^m] and [^m].\n[^m]: M.\n",
    # a reference that a link pattern would take, were the footnote pattern not first
    "a[^n](x) b\n\n[^n]: N.\n",
], ids=["repeated", "lookalike-ids", "nested", "before-links"])
def test_the_same_html_on_hard_cases(text):
    assert to_html(text, FastFootnoteExtension()) == to_html(text, FootnoteExtension())


@pytest.mark.parametrize("options", [{"SEPARATOR": "-"}, {"SEPARATOR": "r"}, {"SEPARATOR": "__"},
                                     {"SEPARATOR": "2"}, {"SEPARATOR": "f2"}, {"SEPARATOR": "1"},
                                     {"BACKLINK_TEXT": "^"}, {"USE_DEFINITION_ORDER": False},
                                     {"SUPERSCRIPT_TEXT": "*{}*"}, {"SUPERSCRIPT_TEXT": "[{}]"}])
def test_the_same_html_with_other_options(options):
    text = " ".join("w[^k] v[^fn]" for _ in range(30)) + "\n\n[^k]: K.\n[^fn]: F.\n"
    same = [markdown.Markdown(extensions=[ext]).convert(text)
            for ext in (FastFootnoteExtension(**options), FootnoteExtension(**options))]
    assert same[0] == same[1]


def test_one_instance_serves_page_after_page_as_a_new_one_would():
    """MkDocs makes a Markdown per page from the one instance in config.markdown_extensions."""
    shared = FastFootnoteExtension()
    text = "a[^x] b[^x] c[^x]\n\n[^x]: X.\n"
    first = markdown.Markdown(extensions=[shared]).convert(text)
    second = markdown.Markdown(extensions=[shared]).convert(text)
    assert first == second == markdown.Markdown(extensions=["footnotes"]).convert(text)


class _Spy(InlineProcessor):
    """The last inline pattern: records every text Python-Markdown runs the inline patterns over."""

    def __init__(self, seen: list):
        super().__init__(r"(?!)")
        self.seen = seen

    def getCompiledRegExp(self):
        seen = self.seen

        class Recorder:
            def finditer(self, data, pos=0):
                seen.append(data)
                return iter(())
        return Recorder()


@pytest.mark.parametrize("extension, numbers_searched", [(FastFootnoteExtension, False), (FootnoteExtension, True)])
def test_footnote_numbers_are_final_text(extension, numbers_searched):
    """Python-Markdown's own runs every later inline pattern over each reference's number; this one
    marks it final (the original is run too, so that the spy is seen to see)."""
    seen = []
    md = markdown.Markdown(extensions=[extension()])
    md.inlinePatterns.register(_Spy(seen), "spy", 0)
    md.convert("A.[^k] B.[^k] C.[^n]\n\n[^k]: K.\n[^n]: N.\n")
    assert any(text.isdigit() for text in seen) is numbers_searched


def test_no_glossary_abbreviation_is_made_of_digits_alone():
    """Such an abbreviation would be marked inside footnote numbers by Python-Markdown's own footnotes,
    not by primer.build.footnotes (see its docstring)."""
    assert not [t for term in load(ROOT) for t in triggers(term) if t.isdigit()]


class CountingSet(set):
    def __init__(self, *args):
        super().__init__(*args)
        self.lookups = 0

    def __contains__(self, item):
        self.lookups += 1
        return super().__contains__(item)


@pytest.mark.parametrize("extension, most", [(FastFootnoteExtension, 3), (FootnoteExtension, None)])
def test_back_reference_ids_are_found_in_linear_time(extension, most):
    """Python-Markdown's own extension tries n/2 ids on average for the n-th reference; this one, at
    most a few. The count of ids tried is the measure (a time would flake)."""
    n = 400
    instance = extension()
    md = markdown.Markdown(extensions=[instance])
    instance.used_refs = CountingSet()
    md.convert(" ".join(["x[^k]"] * n) + "\n\n[^k]: K.\n")
    per_reference = instance.used_refs.lookups / n
    if most is None:  # the original, so that the measure is seen to measure
        assert per_reference > n / 4
    else:
        assert per_reference <= most


def _config(extensions, configs=None):
    return SimpleNamespace(markdown_extensions=list(extensions), mdx_configs=dict(configs or {}))


def test_the_plugin_puts_its_class_where_footnotes_was_with_its_options():
    config = _config(["abbr", "footnotes", "toc"], {"footnotes": {"SEPARATOR": "-"}, "toc": {"permalink": True}})
    footnotes.use_fast_footnotes(config)
    assert config.markdown_extensions[0] == "abbr" and config.markdown_extensions[2] == "toc"
    replaced = config.markdown_extensions[1]
    assert isinstance(replaced, FastFootnoteExtension) and replaced.getConfig("SEPARATOR") == "-"
    assert "footnotes" not in config.mdx_configs and config.mdx_configs["toc"] == {"permalink": True}


def test_the_plugin_names_the_fix_without_footnotes_or_with_unique_ids():
    with pytest.raises(PluginError, match=r"mkdocs.yml's markdown_extensions has no `footnotes`; add it"):
        footnotes.use_fast_footnotes(_config(["abbr"]))
    with pytest.raises(PluginError, match=r"UNIQUE_IDS is not supported by the primer plugin .*; remove the option"):
        footnotes.use_fast_footnotes(_config(["footnotes"], {"footnotes": {"UNIQUE_IDS": True}}))


def test_mkdocs_yml_runs_the_plugin():
    plugins = mkdocs_yml.read(ROOT)["plugins"]
    assert "primer" in plugins
