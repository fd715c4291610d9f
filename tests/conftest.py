"""Shared fixtures: one strict build of the real site per test run, and
throw-away copies of the project in which a test plants a defect."""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import forked_builds
import pytest

from primer.bench.browser_parts import page_paths  # (scripts/primer/bench/browser_parts.py: the pages of a built site)
from primer.build.project_parts import copy_project  # (scripts/primer/build/project_parts.py: what a build needs)

ROOT = Path(__file__).resolve().parent.parent


def site_markdown(footnotes="footnotes"):
    """A Markdown converter with mkdocs.yml's markdown_extensions and their options (`footnotes`: what
    stands for the footnotes extension), as MkDocs makes one for each page, without MkDocs' own."""
    import markdown

    from primer.build import mkdocs_yml  # mkdocs.yml as MkDocs reads it (site_url is an !ENV tag)
    names, configs = [], {}
    for entry in mkdocs_yml.read(ROOT)["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(footnotes if name == "footnotes" else name)
        configs[name] = options or {}
    return markdown.Markdown(extensions=names, extension_configs=configs)


def mkdocs_build(project: Path, site_dir: Path, *flags: str, pdf: bool = False, own_code: bool = False,
                 environment: dict | None = None) -> subprocess.CompletedProcess:
    """Run the strict build exactly as `make build` does, from the project's root; without the PDF
    of the print edition (~20 s with WeasyPrint) unless `pdf` (the print edition stage, PRIMER_PDF).
    FLAGS: more of the command line's options (-q, -v). With `own_code`, the build imports the package from the
    project's own scripts/ (a copy whose code a test changed) rather than the one installed. ENVIRONMENT:
    variables set for the build (PRIMER_SITE_URL)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(environment or {}))
    if not pdf:
        env["PRIMER_PDF"] = "0"
    args = ["build", "--strict", "--clean", *flags, "-d", str(site_dir)]
    if not own_code:   # forked from a process that has imported MkDocs and the plugin (tests/forked_builds.py)
        return forked_builds.mkdocs(args, project, env, timeout=600)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(project / "scripts"), env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=project, env=env, capture_output=True,
                          text=True, timeout=600)


def _shared_folder(tmp_path_factory) -> Path:
    """A folder every worker of this test run shares (pytest-xdist gives each worker a base folder of its own,
    inside the run's)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once_per_run(tmp_path_factory, name: str, make, holding=None, quiet: bool = False):
    """MAKE() once per test run, whatever the number of workers (make test: pytest-xdist, -n 2): the first worker
    to ask makes it, under a lock, and keeps it (pickled) for the others. A failure is kept too: every worker
    that asks fails the same way, at once. HOLDING (a threading.Event) is set once the lock is held; QUIET:
    make it if need be, give nothing back (a background thread)."""
    import pickle

    from filelock import FileLock

    shared = _shared_folder(tmp_path_factory)
    kept, failed = shared / f"{name}.pickle", shared / f"{name}.failed"
    with FileLock(str(shared / f"{name}.lock"), thread_local=False):
        if holding is not None:
            holding.set()
        if not kept.exists() and not failed.exists():
            try:
                kept.write_bytes(pickle.dumps(make()))
            except BaseException as err:
                failed.write_text(f"{err.__class__.__name__}: {err}", encoding="utf-8")
                raise
    if quiet:
        return None
    if failed.exists():
        pytest.fail(f"{name}: " + failed.read_text(encoding="utf-8"), pytrace=False)
    return pickle.loads(kept.read_bytes())


@pytest.hookimpl(trylast=True)   # after -k and -m have deselected what this run leaves out
def pytest_collection_modifyitems(config, items):
    """Whether this run has tests that read the survey of every page (then built_site starts it early) or the
    built site (then _build_soon starts the build with the run); and the test files that need neither the built
    site nor its caches first, so that both workers run them while the site is built (pytest-xdist's loadfile
    hands out files in this order)."""
    config.stash[SURVEY_WANTED] = any("survey" in getattr(item, "fixturenames", ()) for item in items)
    config.stash[SITE_WANTED] = any("built_site" in getattr(item, "fixturenames", ()) for item in items)
    waiting = {item.path for item in items if "built_site" in getattr(item, "fixturenames", ())}
    items.sort(key=lambda item: item.path in waiting)   # stable: each file's tests keep their order


SURVEY_WANTED = pytest.StashKey[bool]()
SITE_WANTED = pytest.StashKey[bool]()


def _build_site(tmp_path_factory, config) -> Path:
    site = _shared_folder(tmp_path_factory) / "built-site"
    result = mkdocs_build(ROOT, site, pdf=True)
    if result.returncode != 0:
        raise RuntimeError("strict build failed:\n" + result.stdout + result.stderr)
    if config.stash.get(SURVEY_WANTED, False):
        survey_soon(tmp_path_factory, site)
    return site


@pytest.fixture(scope="session", autouse=True)
def _build_soon(tmp_path_factory, request):
    """The real site's build started with the run, in a thread (as survey_soon starts the survey), while the
    tests that do not need it run: a test that does waits for it in built_site."""
    if request.config.stash.get(SITE_WANTED, False):
        import threading

        holding = threading.Event()

        def run():
            with contextlib.suppress(BaseException):   # a failure is kept: built_site reports it
                once_per_run(tmp_path_factory, "built-site", lambda: _build_site(tmp_path_factory, request.config),
                             holding=holding, quiet=True)
        threading.Thread(target=run, name="built-site", daemon=True).start()
        holding.wait()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, request) -> Path:
    """The real site, built once per test run with --strict from the working tree (the PDF included), started
    with the run (_build_soon). Once it is built, the survey of every page in Chromium starts in the background
    (survey_soon): it is the longest task of the suite, and runs while the other tests do."""
    return once_per_run(tmp_path_factory, "built-site", lambda: _build_site(tmp_path_factory, request.config))


PUBLISHED_URL = "https://primer.example.org/dual-circulation/"   # site_url, as the publishing workflow sets it


@pytest.fixture(scope="session")
def published_site(tmp_path_factory, built_site) -> Path:
    """A copy of the project outside git (a source tarball) built with site_url set to PUBLISHED_URL, as the
    publishing workflow sets it, once per test run, from the session build's caches (tests/test_cite.py: the static
    formats; tests/test_routes.py: the routes of a published page)."""
    def build() -> Path:
        shared = _shared_folder(tmp_path_factory)
        project = copy_project(shared / "published-project")
        warm(project)
        site = shared / "published-site"
        result = mkdocs_build(project, site, environment={"PRIMER_SITE_URL": PUBLISHED_URL})
        if result.returncode != 0:
            raise RuntimeError("strict build with site_url failed:\n" + result.stdout + result.stderr)
        return site
    return once_per_run(tmp_path_factory, "published-site", build)


def survey_soon(tmp_path_factory, site: Path) -> None:
    """The survey of every page (tests/browser/conftest.py, `survey`) made in a thread of this worker, kept as
    once_per_run keeps it: the thread holds the survey's lock from its start, so any test that asks for the
    survey waits for it instead of making another. Nothing without Chromium (the browser tests skip)."""
    import threading

    from browser.browsing import CHROMIUM, survey_all

    from primer.bench.browser_parts import page_paths, serve
    if CHROMIUM is None:
        return
    holding = threading.Event()

    def run():
        def make():
            with serve(site) as url:
                return survey_all(url, page_paths(site))
        once_per_run(tmp_path_factory, "survey", make, holding=holding, quiet=True)
    threading.Thread(target=run, name="survey").start()
    holding.wait()


@pytest.fixture
def cold_project_copy(tmp_path) -> Path:
    """A copy of the project to break on purpose, with nothing cached: what a fresh clone builds from."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def project_copy(cold_project_copy, built_site) -> Path:
    """A copy of the project to break on purpose, with the caches the session's build left (.cache/: every one
    keyed by all of its inputs, so a planted defect is checked again and the rest is reused, as in any build
    after the first)."""
    warm(cold_project_copy)
    return cold_project_copy


@pytest.fixture
def render_cold_copy(project_copy) -> Path:
    """A copy of the project whose caches are warm (pandoc's citations, the charts, the figure check) but for the
    render cache, empty: every page is converted by its first build (tests of the render cache and of serve)."""
    shutil.rmtree(project_copy / ".cache" / "render", ignore_errors=True)
    return project_copy


def warm(project: Path) -> None:
    """ROOT's caches copied into PROJECT's .cache/, as far as they can be: a file another test's build prunes
    meanwhile is left out (each cache gives any missing entry by doing the work again)."""
    cache = ROOT / ".cache"
    if cache.is_dir():
        with contextlib.suppress(shutil.Error):
            shutil.copytree(cache, project / ".cache", ignore=shutil.ignore_patterns("*.lock", "*.tmp"),
                            dirs_exist_ok=True)


def built_pages(site: Path) -> dict[str, Path]:
    """{URL path: index.html} for every page of a built site but 404 and redirect pages."""
    return {path: site / path / "index.html" for path in page_paths(site)}


@dataclass
class Editions:
    """Two editions published with scripts/primer/publish.py (mike) into a throw-away repository."""

    repo: Path  # the copied project, a git repository with the gh-pages branch mike wrote
    served: Path  # gh-pages as a web server would serve it (git archive)
    earlier: str  # the edition published first
    current: str  # the edition published next, which `latest` names
    runs: dict[str, subprocess.CompletedProcess]  # each publication attempt, by name
    earlier_tree: dict[str, str]  # the git tree id of gh-pages:<earlier>/ after each attempt
    head: dict[str, str]  # the gh-pages commit after each attempt


def _git(repo: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.org",
               GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.org")
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True).stdout


def _publish(repo: Path, *options: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRIMER_PDF="0", GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.org",
               GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.org")
    return subprocess.run([sys.executable, "-m", "primer.publish", *options], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=600)


def release_edition(repo: Path, version: str | None = None, date: str = "2026-01-01") -> str:
    """Date the newest CHANGELOG.md edition (or add `version`, with one correction, and raise
    mkdocs.yml and CITATION.cff to it), then commit: what a release does before `make publish`."""
    changelog_md = repo / "CHANGELOG.md"
    text = changelog_md.read_text(encoding="utf-8")
    if version is None:
        match = re.search(r"(?m)^## \[(\d+\.\d+\.\d+)\] - not yet released$", text)
        if match:
            text = text.replace(match.group(0), f"## [{match.group(1)}] - {date}", 1)
        version = re.search(r"(?m)^## \[(\d+\.\d+\.\d+)\]", text).group(1)
    else:
        first = re.search(r"(?m)^## \[", text).start()
        text = (text[:first] + f"## [{version}] - {date}\n\n### Corrected\n\n- The landing page "
                "(`docs/index.md`) said one thing in the earlier edition and says another now.\n\n" + text[first:])
        for name, pattern in (("mkdocs.yml", r"(?m)^(    version: )\S+"), ("CITATION.cff", r"(?m)^(version: )\S+")):
            path = repo / name
            path.write_text(re.sub(pattern, rf"\g<1>{version}", path.read_text(encoding="utf-8"), count=1),
                            encoding="utf-8")
    changelog_md.write_text(text, encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", f"Edition {version}")
    return version


@pytest.fixture(scope="session")
def published_editions(tmp_path_factory, built_site) -> Editions:
    """The current edition published, then a later one beside it, then the later one again
    (refused) and again with --force: what `make publish` does over a primer's life. Once per test run,
    with the caches the session's build left (built_site), as a maintainer's clone has them."""
    return once_per_run(tmp_path_factory, "published-editions", lambda: _publish_editions(tmp_path_factory))


def _publish_editions(tmp_path_factory) -> Editions:
    base = _shared_folder(tmp_path_factory) / "editions"
    base.mkdir()
    repo = copy_project(base / "project", ("CITATION.cff", ".gitignore"))
    warm(repo)  # .cache/ is git-ignored (.gitignore): not committed to the throw-away repository
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "The primer")
    earlier = release_edition(repo)
    runs, trees, heads = {}, {}, {}

    def attempt(name, *options):
        runs[name] = _publish(repo, *options)
        trees[name] = _git(repo, "rev-parse", f"gh-pages:{earlier}").strip()
        heads[name] = _git(repo, "rev-parse", "gh-pages").strip()

    attempt("earlier")
    if runs["earlier"].returncode != 0:
        pytest.fail("publishing the earlier edition failed:\n" + runs["earlier"].stdout + runs["earlier"].stderr,
                    pytrace=False)
    major, minor, _ = earlier.split(".")
    current = release_edition(repo, f"{major}.{int(minor) + 1}.0", "2026-02-01")
    attempt("current")
    attempt("again")
    attempt("forced", "--force")
    served = base / "served"
    served.mkdir()
    archive = subprocess.run(["git", "archive", "gh-pages"], cwd=repo, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(served)], input=archive, check=True)
    return Editions(repo, served, earlier, current, runs, trees, heads)
