#!/usr/bin/env python3
"""Publish the primer's edition with mike, and never over an edition already published.

    python -m primer.publish [--push] [--force] [--tag vX.Y.Z] [--branch gh-pages] [--remote origin]
    (make publish; make publish PUSH=1; make publish FORCE=1)

The edition is mkdocs.yml's `extra.primer.version`. mike builds the site (the strict build, with
the edition selector on: primer.build.stages.editions) and commits it to BRANCH under `<edition>/`, moves the
`latest` alias to it (redirect pages) and makes the site's root lead to `latest`; every earlier
edition stays as it was, at its own URL, with a banner pointing to the current one.

Refused, with one line naming the fix, before anything is built:
- an edition already on BRANCH, unless --force (readers who cited it must find what they cited);
- an edition that CHANGELOG.md does not date (`## [X.Y.Z] - YYYY-MM-DD`), or that is not the
  newest there; CITATION.cff naming another version; --tag (the release tag) naming another;
- uncommitted changes to tracked files (an edition is published from a commit).
Exit status: 0 published, 1 refused, 2 mike failed (its output is shown).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from primer.checks.links import _mkdocs_config
from primer.site import changelog, csp

ALIAS = "latest"  # mkdocs.yml extra.version.default: the alias of the current edition
# latest/… redirects to the edition it names: one copy of each page. Given here, not as the mike
# plugin's option in mkdocs.yml: every other build would import the plugin to no effect.
MIKE_OPTIONS = ["--alias-type", "redirect"]
# mike's redirect pages (latest/… and the site's root), from this template rather than mike's own, so that they
# carry the site's Content-Security-Policy like every other page: their one inline script is the same text on
# every page (it reads the address from the canonical link), so one hash allows it. It keeps the query and the
# fragment (a cited section); without script, the refresh goes to the page.
REDIRECT_SCRIPT = ('location.replace(document.querySelector(\'link[rel="canonical"]\').href'
                   " + location.search + location.hash);")
REDIRECT_TEMPLATE = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="{csp.policy([REDIRECT_SCRIPT])}">
  <title>Redirecting</title>
  <link rel="canonical" href="{{{{ href }}}}">
  <noscript><meta http-equiv="refresh" content="1; url={{{{ href }}}}"></noscript>
  <script>{REDIRECT_SCRIPT}</script>
</head>
<body>
  Redirecting to <a href="{{{{ href }}}}">{{{{ href }}}}</a>…
</body>
</html>
"""


class Refused(Exception):
    """Why this edition cannot be published (one line, with the fix)."""


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False).stdout


def _mike() -> list[str]:
    """mike from the same environment as this Python (the project's .venv)."""
    found = shutil.which("mike", path=str(Path(sys.executable).parent)) or shutil.which("mike")
    if not found:
        raise Refused("mike is not installed: run `make publish` (it installs requirements.txt into .venv)")
    return [found]


def _env() -> dict[str, str]:
    # mike runs `mkdocs build` by name: the mkdocs next to this Python must come first on the PATH.
    return dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
                NO_MKDOCS_2_WARNING="1")


def check_edition(root: Path, tag: str | None = None) -> str:
    """The edition to publish, after the checks that need no build; Refused otherwise."""
    edition = changelog.edition_of(_mkdocs_config(root).get("extra"))
    if not edition:
        raise Refused("mkdocs.yml: extra.primer.version is not set; it is the edition to publish")
    editions, problems = changelog.load(root / changelog.FILE)
    problems += changelog.check_version(editions, edition)
    if problems:
        raise Refused(problems[0])
    newest = editions[0]
    if not newest.released:
        raise Refused(f"{changelog.FILE}:{newest.line}: edition {edition} is {newest.status!r}; date it "
                      f"(`## [{edition}] - YYYY-MM-DD`, the release date) and commit before publishing it")
    cff = root / "CITATION.cff"
    if cff.exists():
        import yaml

        cited = str((yaml.safe_load(cff.read_text(encoding="utf-8")) or {}).get("version", ""))
        if cited != edition:
            raise Refused(f"CITATION.cff: version is {cited!r} but the edition is {edition}; make them the same")
    if tag and tag.removeprefix("v") != edition:
        raise Refused(f"the release tag {tag!r} is not edition {edition} (mkdocs.yml extra.primer.version); "
                      f"tag the release v{edition}, or raise the edition in mkdocs.yml")
    changed = [line[3:] for line in _git(root, "status", "--porcelain", "--untracked-files=no").splitlines()]
    if changed:
        raise Refused(f"{len(changed)} tracked file(s) have uncommitted changes ({', '.join(changed[:3])}): an "
                      "edition is published from a commit; commit or stash them first")
    return edition


def published_editions(root: Path, branch: str, remote: str) -> list[dict]:
    """versions.json on BRANCH as mike lists it ([] when nothing is published yet). mike first
    brings the local BRANCH up to REMOTE/BRANCH (a fresh CI checkout has only the latter)."""
    result = subprocess.run([*_mike(), "list", "--json", "-b", branch, "-r", remote], cwd=root, env=_env(),
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise Refused(f"`mike list` on {branch} failed: {result.stderr.strip() or result.stdout.strip()}")
    return json.loads(result.stdout or "[]")


def publish(root: Path, *, push: bool = False, force: bool = False, tag: str | None = None,
            branch: str = "gh-pages", remote: str = "origin") -> int:
    edition = check_edition(root, tag)
    published = {str(entry.get("version")) for entry in published_editions(root, branch, remote)}
    if edition in published and not force:
        raise Refused(f"edition {edition} is already published on {branch} ({edition}/): readers who cited it "
                      f"must find it unchanged. To publish changes, raise extra.primer.version in mkdocs.yml and "
                      f"date the new edition in {changelog.FILE}; to replace it on purpose (a broken "
                      "build), run `make publish FORCE=1`")
    if edition in published:
        print(f"publish: replacing edition {edition} on {branch}, as --force asks", file=sys.stderr)
    commit = _git(root, "rev-parse", "--short", "HEAD").strip() or "?"
    git_options = ["-b", branch, "-r", remote] + (["--push"] if push else [])
    with tempfile.TemporaryDirectory(prefix="publish-") as tmp:
        template = Path(tmp) / "redirect.html"
        template.write_text(REDIRECT_TEMPLATE, encoding="utf-8")
        steps = [
            ["deploy", "--update-aliases", *MIKE_OPTIONS, "-T", str(template), "-m",
             f"Publish edition {edition} from {commit}", *git_options, edition, ALIAS],
            ["set-default", "-T", str(template), "-m", f"The site's root leads to {ALIAS}", *git_options, ALIAS],
        ]  # set-default makes no commit if the root already leads there
        for step in steps:
            result = subprocess.run([*_mike(), *step], cwd=root, env=_env(), capture_output=True, text=True)
            if result.returncode != 0:
                print(f"publish: `mike {step[0]}` failed for edition {edition}:\n{result.stdout}{result.stderr}",
                      file=sys.stderr)
                return 2
    where = f"{remote}/{branch}" if push else f"the local branch {branch} (push it, or run with --push)"
    print(f"publish: edition {edition} is on {where} at {edition}/, and {ALIAS}/ leads to it; earlier "
          f"editions: {', '.join(sorted(published - {edition})) or 'none'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--push", action="store_true", help="push BRANCH to REMOTE after the commit")
    parser.add_argument("--force", action="store_true", help="replace an edition that is already published")
    parser.add_argument("--tag", help="the release tag being published (vX.Y.Z); must name the edition")
    parser.add_argument("--branch", default="gh-pages", help="the branch that holds the editions")
    parser.add_argument("--remote", default="origin")
    args = parser.parse_args(argv)
    try:
        return publish(Path.cwd(), push=args.push, force=args.force, tag=args.tag, branch=args.branch,
                       remote=args.remote)
    except Refused as refused:
        print(f"publish: refused: {refused}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
