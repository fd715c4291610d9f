"""primer.build.bibtex_adapter: the one module that reaches into mkdocs-bibtex's internals. It refuses any
version but the pinned one, naming the fix; its functions give what the hooks need (no build here)."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from conftest import ROOT

from primer.build import bibtex_adapter as bibtex


def test_the_installed_version_is_the_pinned_one_and_requirements_agree():
    bibtex.check_version()  # raises when another version is installed
    pins = (ROOT / "requirements.in").read_text(encoding="utf-8")
    assert f"mkdocs-bibtex=={bibtex.PINNED}" in pins.split()


@pytest.mark.parametrize("installed", ["4.4.1", "5.0.0"])
def test_another_version_stops_with_the_fix(installed):
    with pytest.raises(bibtex.BibtexVersionError) as error:
        bibtex.check_version(installed)
    message = str(error.value)
    assert message.startswith("scripts/primer/build/bibtex_adapter.py:1: ") and f"mkdocs-bibtex {installed} is installed" in message
    assert "make .venv/.installed" in message and "PINNED" in message and "requirements.in" in message


def test_no_other_module_reaches_into_mkdocs_bibtex():
    reaching = re.compile(r"mkdocs_bibtex|_inline_cache|_reference_cache|_process_with_pandoc|bib_data_bibtex")
    offenders = [str(path.relative_to(ROOT)) for folder in ("scripts", "tests")
                 for path in sorted((ROOT / folder).rglob("*.py"))
                 if path.name not in ("bibtex_adapter.py", "test_bibtex_adapter.py", "test_bibliography.py")
                 and reaching.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_citation_blocks_give_each_block_and_its_offset():
    text = "One [@li2025twoway, sec. 4.2].\nTwo [see @a; @b, p. 3] and [a link](x) and [no key].\n"
    found = [(block.raw, [c.key for c in block.citations], offset) for block, offset in bibtex.citation_blocks(text)]
    assert found == [("@li2025twoway, sec. 4.2", ["li2025twoway"], 4),
                     ("see @a; @b, p. 3", ["a", "b"], text.index("[see"))]


class _Registry:
    """Stands in for mkdocs-bibtex's PandocRegistry: formats each block it has not formatted."""

    def __init__(self):
        self._inline_cache, self._reference_cache = {}, {}

    def validate_citation_blocks(self, blocks):
        for block in blocks:
            if str(block) not in self._inline_cache:
                self._inline_cache[str(block)] = "(Belt\\ & Road 2020--2021)"
                for citation in block.citations:
                    self._reference_cache[citation.key] = "Belt\\ & Road. 2020---. *Title*."


def test_format_blocks_undoes_pandocs_escapes_once_in_each_new_or_replaced_text():
    registry = _Registry()
    bibtex.format_blocks(registry, bibtex.blocks_in("[@a, p. 1]"))
    assert bibtex.reference_text(registry, "a") == "Belt & Road. 2020—. *Title*."
    assert registry._inline_cache["[@a, p. 1]"] == "(Belt & Road 2020–2021)"
    registry._inline_cache["[@a, p. 1]"] = "kept\\ as it is"     # formatted before: not unescaped again
    bibtex.format_blocks(registry, bibtex.blocks_in("[@a, p. 1] [@b]"))
    assert registry._inline_cache["[@a, p. 1]"] == "kept\\ as it is"
    assert bibtex.reference_text(registry, "b") == "Belt & Road. 2020—. *Title*."
    assert bibtex.reference_text(registry, "a") == "Belt & Road. 2020—. *Title*."  # replaced by the run: unescaped


def test_reference_text_of_an_unformatted_key_names_the_fix():
    with pytest.raises(KeyError, match="format_blocks"):
        bibtex.reference_text(_Registry(), "nobody2020")


def test_plugin_missing_from_the_config_is_named():
    from mkdocs.exceptions import PluginError
    with pytest.raises(PluginError, match="`bibtex` plugin"):
        bibtex.registry(SimpleNamespace(plugins={}))


def test_formatting_in_the_background_is_waited_for_by_every_reader():
    """format_blocks_soon: pandoc runs in a thread; what reads its texts waits for it, and gets them."""
    import threading
    release = threading.Event()

    class Slow(_Registry):
        def validate_citation_blocks(self, blocks):
            release.wait(5)   # pandoc still running
            super().validate_citation_blocks(blocks)

    registry = Slow()
    bibtex.format_blocks_soon(registry, bibtex.blocks_in("[@a, p. 1]"))
    assert "a" not in registry._reference_cache   # not yet formatted: the build went on
    threading.Timer(0.2, release.set).start()
    assert bibtex.reference_text(registry, "a") == "Belt & Road. 2020—. *Title*."   # waited for it
    assert bibtex.style_citation(registry, "a") == ""   # no entry block was formatted; nothing left running
    assert "_primer_formatting" not in registry.__dict__


def test_an_error_of_the_background_run_is_raised_in_the_build():
    class Broken(_Registry):
        def validate_citation_blocks(self, blocks):
            raise RuntimeError("pandoc: could not parse the CSL style")

    registry = Broken()
    bibtex.format_blocks_soon(registry, bibtex.blocks_in("[@a]"))
    with pytest.raises(RuntimeError, match="could not parse the CSL style"):
        bibtex.reference_text(registry, "a")
    with pytest.raises(KeyError):   # raised once; the next reader finds the key unformatted, as it is
        bibtex.reference_text(registry, "a")
