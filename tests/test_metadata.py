"""Project metadata agrees with itself, and the CI runs the README's command."""
from __future__ import annotations

import re

import yaml
from conftest import ROOT

from primer.build import mkdocs_yml  # scripts/primer/build/mkdocs_yml.py


def _mkdocs_config() -> dict:
    return mkdocs_yml.read(ROOT)


def test_citation_cff_version_matches_the_site():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert str(cff["version"]) == str(_mkdocs_config()["extra"]["primer"]["version"])


def test_citation_cff_title_and_author_match_the_site():
    """The primer as a whole (CITATION.cff) and each page (primer.build.stages.cite, from mkdocs.yml) are
    cited with the same title and author."""
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    config = _mkdocs_config()
    assert cff["title"] == config["site_name"]
    assert [author.get("name") for author in cff["authors"]] == [config["extra"]["primer"]["author"]]
    assert config["extra"]["primer"]["title_sentence_case"].casefold() == config["site_name"].casefold()


def test_mkdocs_config_keeps_the_guards():
    config = _mkdocs_config()
    assert config["strict"] is True
    for group, checks in {"nav": ["omitted_files", "not_found"], "links": ["not_found", "anchors"]}.items():
        for check in checks:
            assert config["validation"][group][check] == "warn", (group, check)
    assert config["theme"]["font"] is False, "Material's default font loads from Google"
    plugins = {next(iter(p)) if isinstance(p, dict) else p: p for p in config["plugins"]}
    assert plugins["bibtex"]["bibtex"]["enable_inline_citations"] is False


# The one other thing CI may do: install, with apt-get, the Debian packages the tests use when
# they are missing (Chromium and a CJK font for the browser tests, poppler's pdftotext for the
# PDF). Nothing but that can run in it, so it cannot stand in for the tests.
_SYSTEM_INSTALL = re.compile(
    r"^missing=\(\)\n"
    r"(?:command -v [a-z0-9-]+ >/dev/null 2>&1 \|\| missing\+=\([a-z0-9 -]+\)\n)+"
    r"if \[ \$\{#missing\[@\]\} -gt 0 \]; then\n"
    r"  apt-get update && apt-get install -y (--no-install-recommends )?\"\$\{missing\[@\]\}\"\n"
    r"fi$", re.MULTILINE)


def _ci_commands(script: str) -> list[str]:
    script = _SYSTEM_INSTALL.sub("", script)
    return [line for line in script.splitlines()
            if line.strip() and not line.startswith("#") and not line.startswith(("set ", "cd "))]


def test_ci_runs_the_readmes_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"^(make \w+)\s+# .*runs every test", readme, re.MULTILINE).group(1)
    assert _ci_commands((ROOT / ".ci" / "run").read_text(encoding="utf-8")) == [command]


def test_ci_check_allows_only_the_package_install():
    """The allowance above is exactly the package install: anything else in the block counts."""
    install = ("missing=()\n"
               "command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-noto-cjk)\n"
               "command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)\n"
               "if [ ${#missing[@]} -gt 0 ]; then\n"
               '  apt-get update && apt-get install -y --no-install-recommends "${missing[@]}"\n'
               "fi\n")
    assert _ci_commands(install + "make test\n") == ["make test"]
    assert _ci_commands(install.replace("fonts-noto-cjk)", "fonts-noto-cjk); exit 0") + "make test\n") != ["make test"]
    assert _ci_commands(install.replace("(poppler-utils)", "(poppler-utils; true)") + "make test\n") != ["make test"]
    assert _ci_commands(install.replace("\nfi", "\n  exit 0\nfi") + "make test\n") != ["make test"]
    assert _ci_commands(install + "make test || true\n") != ["make test"]


def test_readme_table_lists_every_module_with_its_size():
    """The README's package table names every module, each with its size in lines (within
    a fifth or 20 lines, so the table is not rewritten for every edit, yet is never far from the truth)."""
    import re
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = {path: int(n) for path, n in re.findall(r"^\| `(scripts/[\w/]+\.py)` \| (\d+) \|", readme, re.M)}
    on_disk = {p.relative_to(ROOT).as_posix() for p in (ROOT / "scripts").rglob("*.py")
               if p.name != "__main__.py"}
    assert on_disk - set(listed) == set(), f"not in the README's tables: {sorted(on_disk - set(listed))}"
    assert set(listed) - on_disk == set(), f"in the README's tables but gone: {sorted(set(listed) - on_disk)}"
    for path, lines in listed.items():
        actual = len((ROOT / path).read_text(encoding="utf-8").splitlines())
        assert abs(actual - lines) <= max(20, actual // 5), f"README says {path} has {lines} lines; it has {actual}"
