"""Project metadata agrees with itself, and the CI runs the README's command."""
from __future__ import annotations

import re

import yaml
from conftest import ROOT


def _mkdocs_config() -> dict:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)  # !ENV, !relative
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


def test_citation_cff_version_matches_the_site():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert str(cff["version"]) == str(_mkdocs_config()["extra"]["version"])


def test_mkdocs_config_keeps_the_guards():
    config = _mkdocs_config()
    assert config["strict"] is True
    for group, checks in {"nav": ["omitted_files", "not_found"], "links": ["not_found", "anchors"]}.items():
        for check in checks:
            assert config["validation"][group][check] == "warn", (group, check)
    assert config["theme"]["font"] is False, "Material's default font loads from Google"
    plugins = {next(iter(p)) if isinstance(p, dict) else p: p for p in config["plugins"]}
    assert plugins["bibtex"]["bibtex"]["enable_inline_citations"] is False


def test_ci_runs_the_readmes_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"^(make \w+)\s+# .*runs every test", readme, re.MULTILINE).group(1)
    ci = [line for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
          if line.strip() and not line.startswith("#") and not line.startswith(("set ", "cd "))]
    assert ci == [command]
