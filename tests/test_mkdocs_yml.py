"""scripts/primer/build/mkdocs_yml.py: mkdocs.yml as data, each tag MkDocs understands given MkDocs' value,
any other tag refused with one line; and the scripts that read mkdocs.yml read it through it."""
from __future__ import annotations

import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from conftest import ROOT
from mkdocs.utils.yaml import get_yaml_loader

from primer.build import mkdocs_yml

SCRIPT_KEYS = ("site_name", "site_url", "extra", "theme", "markdown_extensions", "plugins", "hooks", "docs_dir",
               "validation")


def _write(folder: Path, text: str) -> Path:
    path = folder / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def _as_mkdocs_reads_it(path: Path, docs_dir: str) -> dict:
    """The same file through MkDocs' own loader, its !relative placeholders made strings as a
    plugin or extension using them would (str()); `docs_dir` is what MkDocs would have validated."""
    config = SimpleNamespace(config_file_path=os.path.abspath(path), docs_dir=docs_dir, _current_page=None)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=get_yaml_loader(config=config)) or {}
    return {key: str(value) if isinstance(value, os.PathLike) else value for key, value in data.items()}


# --------------------------------------------------------------------------- !ENV

def test_env_set_gives_its_value(tmp_path, monkeypatch):
    monkeypatch.setenv("PRIMER_TEST_URL", "https://example.org/primer/")
    path = _write(tmp_path, "site_url: !ENV PRIMER_TEST_URL\n")
    assert mkdocs_yml.read(path) == {"site_url": "https://example.org/primer/"}


def test_env_unset_gives_the_default(tmp_path, monkeypatch):
    monkeypatch.delenv("PRIMER_TEST_URL", raising=False)
    path = _write(tmp_path, "site_url: !ENV [PRIMER_TEST_URL, 'https://x.org/']\nport: !ENV [PRIMER_TEST_URL, 8000]\n")
    assert mkdocs_yml.read(path) == {"site_url": "https://x.org/", "port": 8000}  # the default read as YAML


@pytest.mark.parametrize("value", ["!ENV PRIMER_TEST_URL", "!ENV [PRIMER_TEST_URL]"])
def test_env_unset_without_default_gives_none(tmp_path, monkeypatch, value):
    """With one item there is no default: the item is a variable's name."""
    monkeypatch.delenv("PRIMER_TEST_URL", raising=False)
    assert mkdocs_yml.read(_write(tmp_path, f"site_url: {value}\n")) == {"site_url": None}


def test_env_list_the_first_variable_set_wins(tmp_path, monkeypatch):
    monkeypatch.delenv("PRIMER_TEST_FIRST", raising=False)
    monkeypatch.setenv("PRIMER_TEST_SECOND", "second")
    path = _write(tmp_path, "site_name: !ENV [PRIMER_TEST_FIRST, PRIMER_TEST_SECOND, fallback]\n")
    assert mkdocs_yml.read(path) == {"site_name": "second"}
    monkeypatch.setenv("PRIMER_TEST_FIRST", "first")
    assert mkdocs_yml.read(path) == {"site_name": "first"}


@pytest.mark.parametrize("raw, value", [("true", True), ("8000", 8000), ("0.5", 0.5), ("", None),
                                        ("null", None), ("a: b", "a: b"), ("[1, 2]", "[1, 2]")])
def test_env_value_is_read_as_a_yaml_scalar(tmp_path, monkeypatch, raw, value):
    """As MkDocs reads it: the variable's text typed as a plain YAML scalar would be, never parsed
    into a mapping or a list."""
    monkeypatch.setenv("PRIMER_TEST_VALUE", raw)
    path = _write(tmp_path, "strict: !ENV [PRIMER_TEST_VALUE, false]\n")
    assert mkdocs_yml.read(path) == {"strict": value}
    assert mkdocs_yml.read(path) == _as_mkdocs_reads_it(path, str(tmp_path / "docs"))


# --------------------------------------------------------------------------- !relative

def test_relative_config_dir_and_docs_dir_are_paths_as_mkdocs_gives_them(tmp_path):
    path = _write(tmp_path, "a: !relative $config_dir/snippets\nb: !relative $config_dir\n"
                            "c: !relative $docs_dir/includes\ndocs_dir: content\n")
    data = mkdocs_yml.read(path)
    assert data == {"a": str(tmp_path / "snippets"), "b": str(tmp_path) + os.sep,
                    "c": str(tmp_path / "content" / "includes"), "docs_dir": "content"}
    assert data == _as_mkdocs_reads_it(path, str(tmp_path / "content"))


def test_relative_paths_are_absolute_when_the_file_is_named_relatively(tmp_path, monkeypatch):
    """MkDocs opens mkdocs.yml by its absolute path: a script run from the project's folder
    gets the same absolute paths as one naming the file in full."""
    _write(tmp_path, "a: !relative $config_dir/snippets\nb: !relative $docs_dir\n")
    monkeypatch.chdir(tmp_path)
    assert mkdocs_yml.read(Path("mkdocs.yml")) == {"a": str(tmp_path / "snippets"), "b": str(tmp_path / "docs") + os.sep}


def test_relative_docs_dir_defaults_to_docs_and_is_found_inside_lists(tmp_path):
    path = _write(tmp_path, "markdown_extensions:\n  - pymdownx.snippets:\n      base_path:\n"
                            "        - !relative $docs_dir/parts\n")
    assert mkdocs_yml.read(path)["markdown_extensions"] == [
        {"pymdownx.snippets": {"base_path": [str(tmp_path / "docs" / "parts")]}}]


def test_relative_alone_is_the_page_folder_marker(tmp_path):
    """The folder of the page being rendered: no value outside a build, so a marker, never None."""
    path = _write(tmp_path, "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: !relative\n")
    assert mkdocs_yml.read(path)["markdown_extensions"] == [{"pymdownx.snippets": {"base_path": mkdocs_yml.PageDir()}}]


@pytest.mark.parametrize("value, why", [
    ("$site_dir/x", "MkDocs knows no prefix '$site_dir' in !relative '$site_dir/x': use $config_dir or $docs_dir"),
    ("snippets", "MkDocs' !relative tag does not expect any value; received 'snippets'")])
def test_relative_that_mkdocs_refuses_stops_with_one_line(tmp_path, value, why):
    path = _write(tmp_path, f"site_name: Tiny\nbase_path: !relative {value}\n")
    with pytest.raises(SystemExit) as stop:
        mkdocs_yml.read(path)
    assert str(stop.value) == f"{path}, line 2: {why}"


# --------------------------------------------------------------------------- any other tag

@pytest.mark.parametrize("text, tag, line", [
    ("markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
     "!!python/name:material.extensions.emoji.twemoji", 4),
    ("extra:\n  a: !include other.yml\n", "!include", 3),
    ("site_url: !ENV [PRIMER_TEST_UNSET_VAR, !secret url]\n", "!secret", 2)])  # a default with a tag of its own
def test_an_unknown_tag_stops_with_one_line_naming_file_line_and_tag(tmp_path, monkeypatch, text, tag, line):
    monkeypatch.delenv("PRIMER_TEST_UNSET_VAR", raising=False)
    path = _write(tmp_path, "site_name: Tiny\n" + text)
    with pytest.raises(SystemExit) as stop:
        mkdocs_yml.read(path)
    assert str(stop.value) == (f"{path}, line {line}: the tag {tag} is not understood here (only !ENV and "
                               "!relative are); teach scripts/primer/build/mkdocs_yml.py what it stands for")


def test_yamls_own_tags_still_read(tmp_path):
    assert mkdocs_yml.read(_write(tmp_path, "a: !!str 8000\nb: !!int '3'\n")) == {"a": "8000", "b": 3}


# --------------------------------------------------------------------------- files

@pytest.mark.parametrize("text", ["", "# nothing set yet\n"])
def test_an_empty_file_gives_an_empty_dict(tmp_path, text):
    assert mkdocs_yml.read(_write(tmp_path, text)) == {}


def test_a_folder_means_its_mkdocs_yml(tmp_path):
    _write(tmp_path, "site_name: Tiny\n")
    assert mkdocs_yml.read(tmp_path) == {"site_name": "Tiny"}


def test_the_real_mkdocs_yml_reads_as_before_and_as_mkdocs_reads_it(monkeypatch):
    """One tag in it, `site_url: !ENV PRIMER_SITE_URL` (set by the publishing workflow): what the
    scripts read is what MkDocs' own loader gives, key for key, with the variable set or not; the rest
    is what plain YAML gives (the old loaders' answer)."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert len(re.findall(r"!ENV\b", text)) == 1 and "site_url: !ENV PRIMER_SITE_URL\n" in text
    plain = yaml.safe_load(text.replace("site_url: !ENV PRIMER_SITE_URL\n", "site_url:\n"))
    for value in (None, "https://example.github.io/primer/"):
        if value:
            monkeypatch.setenv("PRIMER_SITE_URL", value)
        else:
            monkeypatch.delenv("PRIMER_SITE_URL", raising=False)
        data = mkdocs_yml.read(ROOT / "mkdocs.yml")
        mkdocs = _as_mkdocs_reads_it(ROOT / "mkdocs.yml", str(ROOT / "docs"))
        for key in SCRIPT_KEYS:
            assert data.get(key) == mkdocs.get(key), key
        assert data == mkdocs and data["site_url"] == value
        assert data == plain | {"site_url": value}
    assert data["site_name"].startswith("Dual Circulation") and data["theme"]["name"] == "material"
    assert "primer" in data["plugins"] and "hooks" not in data and data["extra"]["primer"]["version"]


# --------------------------------------------------------------------------- the scripts read it through read()

def test_the_scripts_see_site_url_from_env(tmp_path, monkeypatch):
    """The silent error this module ends: `site_url: !ENV …` read as None by the scripts while
    MkDocs uses the address."""
    from primer import published
    from primer.checks import links as check_links
    from primer.site import citation_formats as cite

    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("strict: true\n", "strict: true\nsite_url: !ENV [PRIMER_TEST_SITE_URL, 'https://x.org/']\n", 1)
    text = text.replace("      redirect_maps: {}\n", "      redirect_maps: !ENV [PRIMER_TEST_REDIRECTS, {old.md: new.md}]\n", 1)
    path = _write(tmp_path, text)
    monkeypatch.setenv("PRIMER_TEST_SITE_URL", "https://example.org/primer/")
    monkeypatch.delenv("PRIMER_TEST_REDIRECTS", raising=False)
    assert cite.load_site(tmp_path).url == "https://example.org/primer/"
    assert check_links._mkdocs_config(tmp_path)["site_url"] == "https://example.org/primer/"
    assert published.redirects_in(path) == {"old.md": "new.md"}
    monkeypatch.delenv("PRIMER_TEST_SITE_URL")
    assert cite.load_site(tmp_path).url == "https://x.org/"
