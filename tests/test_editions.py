"""Editions published with mike (scripts/primer/publish.py, `make publish`): an edition a reader cited
stays at its URL, unchanged, when a later one is published beside it; publishing over it is
refused unless forced; `latest` and the site's root lead to the current edition."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ROOT, _git, built_pages, copy_project, release_edition

from primer import publish  # (scripts/primer/publish.py)
from primer.build.stages import editions as editions_hook
from primer.checks.links import check_site
from primer.publish import REDIRECT_SCRIPT
from primer.site import csp

CONFIG_JSON = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)


def _redirect_target(page: Path) -> str:
    """Where a redirect page of mike's leads: its canonical link, which its script follows (primer.publish)."""
    text = page.read_text(encoding="utf-8")
    match = re.search(r'<link rel="canonical" href="([^"]+)">', text)
    assert match and REDIRECT_SCRIPT in text, f"{page} is not a redirect page"
    return match.group(1)


def _material_config(page: Path) -> dict:
    return json.loads(CONFIG_JSON.search(page.read_text(encoding="utf-8")).group(1))


def test_both_editions_are_published_and_latest_names_the_current_one(published_editions):
    e = published_editions
    assert e.runs["earlier"].returncode == 0 and e.runs["current"].returncode == 0, e.runs["current"].stderr
    versions = json.loads((e.served / "versions.json").read_text(encoding="utf-8"))
    assert {v["version"]: v["aliases"] for v in versions} == {e.current: ["latest"], e.earlier: []}


def test_every_page_of_both_editions_keeps_its_url(published_editions):
    e = published_editions
    earlier, current = built_pages(e.served / e.earlier), built_pages(e.served / e.current)
    assert len(earlier) >= 20
    assert sorted(earlier) == sorted(current), "a page of the earlier edition is missing from the current one"
    for url in json.loads((ROOT / "published.json").read_text(encoding="utf-8"))["pages"]:  # every URL ever published
        assert url in earlier and url in current, f"/{url} is not in both editions"


def test_publishing_a_later_edition_leaves_the_earlier_one_untouched(published_editions):
    trees = published_editions.earlier_tree
    assert trees["earlier"] == trees["current"] == trees["again"] == trees["forced"]


def test_publishing_over_a_published_edition_is_refused_unless_forced(published_editions):
    again, forced = published_editions.runs["again"], published_editions.runs["forced"]
    assert again.returncode == 1
    assert f"edition {published_editions.current} is already published" in again.stderr
    assert "make publish FORCE=1" in again.stderr
    assert forced.returncode == 0, forced.stderr
    assert "replacing edition" in forced.stderr
    assert published_editions.head["again"] == published_editions.head["current"]  # the refusal wrote nothing


def test_latest_and_the_root_lead_to_the_current_edition(published_editions):
    e = published_editions
    assert _redirect_target(e.served / "index.html") == "latest/"
    for url in built_pages(e.served / e.current):
        page = e.served / "latest" / url / "index.html"
        target = (page.parent / _redirect_target(page)).resolve()
        assert target == (e.served / e.current / url).resolve(), f"latest/{url} leads to {target}"


def test_every_redirect_page_carries_the_policy_and_it_allows_its_one_script(published_editions):
    """mike's redirect pages (the root, latest/…) carry the site's Content-Security-Policy, whose one hash is
    their script's; an edition's own pages carry theirs (tests/test_content_safety.py)."""
    e = published_editions
    pages = [e.served / "index.html", *sorted((e.served / "latest").rglob("*.html"))]
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', text)
        scripts = re.findall(r"<script>(.*?)</script>", text, re.S)
        assert policy and scripts == [REDIRECT_SCRIPT], f"{page}: no policy, or another script"
        assert policy.group(1) == csp.policy(scripts)


def test_each_edition_cites_itself_and_has_the_selector(published_editions):
    e = published_editions
    for edition in (e.earlier, e.current):
        page = e.served / edition / "sources" / "index.html"
        text = page.read_text(encoding="utf-8")
        # the block names the edition; the record itself does not (a Zotero report has no version field: issue
        # #25): the edition is in the address, mike's folder, which cite.js reads (site_url: the next test)
        assert f"Version {edition} of the primer." in text, f"{edition}: the cite block does not name its edition"
        assert not re.search(r"\bversion\s*=", text), f"{edition}: a BibTeX version field, which Zotero drops"
        assert _material_config(page)["version"] == {"provider": "mike", "default": "latest"}
        assert 'data-md-component="outdated"' in text and f"edition {edition} of this primer" in text


def test_links_hold_within_each_edition(published_editions):
    e = published_editions
    for edition in (e.earlier, e.current):
        problems = check_site(e.served / edition, docs_dir=e.repo / "docs")
        assert not problems, f"{edition}: " + "\n".join(map(str, problems[:10]))


def test_a_build_that_is_not_mike_has_no_selector(built_site):
    config = _material_config(built_site / "index.html")
    assert config["version"] is None  # no request for a versions.json that only a deployment has
    assert 'data-md-component="outdated"' not in (built_site / "index.html").read_text(encoding="utf-8")


def _config(version="0.4.0", provider="mike"):
    return SimpleNamespace(extra={"primer": {"version": version}, "version": {"provider": provider,
                                                                              "default": "latest"}})


def test_the_build_refuses_mike_deploying_another_edition(monkeypatch):
    monkeypatch.setenv(editions_hook.MIKE_VERSION, "0.5.0")
    with pytest.raises(Exception, match=r"mike is deploying edition '0\.5\.0', but mkdocs\.yml's "
                                        r"extra\.primer\.version is '0\.4\.0': publish with `make publish`"):
        editions_hook.check(_config())
    monkeypatch.setenv(editions_hook.MIKE_VERSION, "0.4.0")
    config = _config()
    editions_hook.check(config)
    assert config.extra["version"]["provider"] == "mike"
    with pytest.raises(Exception, match="extra.version.provider must be `mike`"):
        editions_hook.check(_config(provider="other"))
    monkeypatch.delenv(editions_hook.MIKE_VERSION)
    editions_hook.check(config)
    assert config.extra["version"] is None


@pytest.fixture
def repo(tmp_path) -> Path:
    """The project, committed, its newest edition dated: ready to publish."""
    repo = copy_project(tmp_path / "project", ("CITATION.cff", ".gitignore"))
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "The primer")
    release_edition(repo)
    return repo


def _refusal(repo: Path, **options) -> str:
    with pytest.raises(publish.Refused) as refused:
        publish.check_edition(repo, **options)
    return str(refused.value)


def test_ready_to_publish(repo):
    edition = publish.check_edition(repo, tag=None)
    assert edition == re.search(r"(?m)^    version: (\S+)", (repo / "mkdocs.yml").read_text()).group(1)
    assert publish.check_edition(repo, tag=f"v{edition}") == edition


def test_an_undated_edition_is_refused(repo):
    path = repo / "CHANGELOG.md"
    path.write_text(re.sub(r"(?m)^(## \[\S+\]) - \d{4}-\d{2}-\d{2}$", r"\1 - not yet released",
                           path.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    _git(repo, "commit", "-qam", "undate")
    message = _refusal(repo)
    assert re.match(r"CHANGELOG\.md:\d+: edition \S+ is 'not yet released'; date it", message)


def test_a_wrong_tag_a_stale_citation_cff_and_uncommitted_changes_are_refused(repo):
    assert "the release tag 'v9.9.9' is not edition" in _refusal(repo, tag="v9.9.9")
    cff = repo / "CITATION.cff"
    cff.write_text(re.sub(r"(?m)^version: \S+", "version: 9.9.9", cff.read_text(encoding="utf-8")), encoding="utf-8")
    assert _refusal(repo).startswith("CITATION.cff: version is '9.9.9' but the edition is ")
    _git(repo, "checkout", "--", "CITATION.cff")
    with (repo / "docs" / "index.md").open("a", encoding="utf-8") as page:
        page.write("\nAn uncommitted sentence.\n")
    assert "1 tracked file(s) have uncommitted changes (docs/index.md)" in _refusal(repo)


def test_the_cli_reports_a_refusal_in_one_line(repo):
    (repo / "mkdocs.yml").write_text((repo / "mkdocs.yml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "primer.publish"], cwd=repo, capture_output=True, text=True)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("publish: refused: 1 tracked file(s) have uncommitted changes (mkdocs.yml)")
    assert "Traceback" not in result.stderr


def test_the_pages_workflow_tests_before_it_publishes_the_tagged_edition():
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on") or workflow.get(True)  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["tags"] == ["v*.*.*"]
    assert workflow["permissions"] == {"contents": "write"}
    steps = workflow["jobs"]["publish"]["steps"]
    checkout = next(step for step in steps if str(step.get("uses", "")).startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # git dates on every page; origin/gh-pages
    runs = [step.get("run", "") for step in steps]
    test = next(i for i, run in enumerate(runs) if run.strip() == "bash .ci/run")
    publish_step = next(i for i, run in enumerate(runs) if "make publish PUSH=1" in run)
    assert test < publish_step and 'TAG="$GITHUB_REF_NAME"' in runs[publish_step]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().splitlines()[-1] == "make test"  # the README's test command
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"(?m)^publish: .*\n\t\$\(BIN\)/python -m primer\.publish .*\$\(if \$\(TAG\),--tag \$\(TAG\)\)", make)


def test_with_a_public_address_each_edition_cites_its_own_url(project_copy, tmp_path):
    """Once site_url is set, mike's build of an edition cites every page at the edition's own
    address (mike adds its plugin to the builds it makes, which puts the edition into site_url),
    which is what a reader must cite."""
    from mike import mkdocs_utils

    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "copyright:", "site_url: https://primer.example.org/\ncopyright:", 1), encoding="utf-8")
    edition = re.search(r"(?m)^    version: (\S+)", config.read_text(encoding="utf-8")).group(1)
    site = tmp_path / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PRIMER_PDF="0", **{editions_hook.MIKE_VERSION: edition})
    with mkdocs_utils.inject_plugin(str(config)) as built_with:  # the configuration `mike deploy` builds
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", built_with,
                                 "-d", str(site)], cwd=project_copy, env=env, capture_output=True, text=True,
                                timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (site / "sources" / "index.html").read_text(encoding="utf-8")
    url = f"https://primer.example.org/{edition}/sources/"
    assert f'<meta name="citation_public_url" content="{url}">' in page
    assert re.search(rf"url\s*=\s*\{{{re.escape(url)}\}}", page), "the BibTeX does not cite the edition's URL"
    assert f'<link rel="canonical" href="{url}">' in page


def test_ci_runs_the_readme_s_test_command_on_every_push_and_pull_request():
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on") or workflow.get(True)  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"] == {"branches": ["**"]} and "pull_request" in triggers
    steps = workflow["jobs"]["test"]["steps"]
    assert [step.get("run", "").strip() for step in steps][-1] == "bash .ci/run"
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"(?m)^test: lint\b", make) and re.search(r"(?m)^lint: .*\n\t\$\(BIN\)/ruff check ", make)
