"""`mkdocs serve` that tells the truth: every input of the build watched, and on an error the last good site
served with the errors on it, never a hanging request.

What MkDocs 1.6 does by itself (mkdocs/commands/serve.py, mkdocs/livereload/__init__.py):
- it watches docs/ and mkdocs.yml alone (and the theme with --watch-theme): an edit to sources/,
  references.bib, a CSL style, glossary.yaml, charts.yaml, overrides/ or CHANGELOG.md rebuilt nothing;
- a rebuild writes into the folder it serves, so a failed one leaves half of a new site there;
- `_build_loop` sets the epoch it is building (`_wanted_epoch`) before it calls the builder, and when the
  builder raises ("Aborted with 15 warnings in strict mode!") it logs "The server will appear stuck" and
  goes on without ever making that epoch visible; every request then waits in `_serve_request` for
  `_visible_epoch == _wanted_epoch`, which only a later successful rebuild brings: requests hang.

The plugin's `on_serve` (MkDocs' hook for this) hands the server to `LiveSite.attach`, which uses only the
server's public parts:
- `server.watch(path)` for every input (`inputs`);
- `server.builder`, the function `_build_loop` calls for each rebuild, wrapped (`LiveSite.rebuild`): the
  rebuild writes into a folder of its own (the plugin's on_config points `site_dir` at `staging` once the
  server is attached), swapped with the served folder when the build succeeds. When it fails, the served
  folder is left as it was, the errors are logged in the terminal and kept, and the wrapper returns
  normally, so the server makes the epoch visible: no request waits, and browsers reload onto the last
  good site, which now shows the errors;
- `server.set_app` (wsgiref's WSGIServer): every HTML page served while the last rebuild failed carries a
  banner at the top of its body listing the errors (`with_banner`).
The first build is MkDocs' own (before `on_serve`): when it fails there is no good site to serve, and
`mkdocs serve` stops with the errors, as `mkdocs build` does.
"""
from __future__ import annotations

import html
import logging
import os
import re
import shutil
import tempfile
import time
import traceback
from pathlib import Path

from mkdocs.exceptions import BuildError

from primer.build import bibtex_adapter
from primer.build.project_parts import PROJECT_PARTS

log = logging.getLogger("mkdocs.plugins.primer.serve")

# Not watched: scripts/ is the build's code, imported once; a change to it needs `mkdocs serve` restarted.
NOT_WATCHED = ("scripts",)
BANNER_ID = "primer-serve-errors"


def inputs(config, root: Path) -> list[Path]:
    """Every file and folder the build reads, that exists: the project's parts (PROJECT_PARTS, less its code),
    the .bib and CSL files mkdocs-bibtex is given, and the theme's custom_dir."""
    found = [root / part for part in PROJECT_PARTS if part not in NOT_WATCHED]
    bib = bibtex_adapter.plugin(config).config
    found += [root / name for name in (bib.bib_file, bib.csl_file) if name]
    custom_dir = config.theme.custom_dir
    if custom_dir:
        found.append(Path(custom_dir))
    paths = [path for path in dict.fromkeys(path.resolve() for path in found) if path.exists()]
    return [path for path in paths if not any(other in path.parents for other in paths)]  # once, by its folder


class _Errors(logging.Handler):
    """The warnings and errors MkDocs' loggers print during one rebuild."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


class LiveSite:
    """The served site under `mkdocs serve`: the folder a rebuild writes to, and the errors of the last one."""

    def __init__(self, served: str):
        self.served = os.path.abspath(served)
        self.staging = tempfile.mkdtemp(prefix="mkdocs_primer_next_", dir=os.path.dirname(self.served))
        self.errors: list[str] = []
        self.failed_at = ""

    @classmethod
    def attach(cls, server, config, root: Path) -> LiveSite:
        """Watch every input, wrap the server's builder and its WSGI application; returns the LiveSite."""
        site = cls(server.root)
        for path in inputs(config, root):
            server.watch(str(path))
        builder = server.builder
        server.builder = lambda config=None: site.rebuild(builder, config)
        server.set_app(site.with_banner(server.get_app()))
        return site

    def rebuild(self, builder, config=None) -> None:
        """One rebuild into `staging`, made the served site when it succeeds; on an error the served site is
        kept, the errors logged and kept for the banner, and nothing raised (see the module's docstring)."""
        errors = _Errors()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(errors)
        try:
            builder(config)
        except Exception as error:  # noqa: BLE001  (Abort, PluginError, or a bug: each shown, the server kept)
            if not isinstance(error, SystemExit):  # not MkDocs' Abort: a traceback is the only account of it
                traceback.print_exc()
            shown = str(error) or type(error).__name__
            self.errors = list(dict.fromkeys(errors.lines))
            # MkDocs logs a BuildError's message, then raises Abort while handling it; its build logger prints a
            # message once per process (a DuplicateFilter), so a failure that repeats is named from the error
            cause = error.__context__
            reason = str(cause) if isinstance(cause, BuildError) else shown
            for message in (reason, shown):
                if message not in self.errors:
                    self.errors.append(message)
            self.failed_at = time.strftime("%H:%M:%S")
            log.error(f"the rebuild failed ({reason}): still serving the last good site, with the problems above "
                      "at the top of every page; fix them and save to rebuild")
            return
        finally:
            logger.removeHandler(errors)
        self._swap()
        self.errors = []

    def _swap(self) -> None:
        """The staging folder becomes the served one, and the served one the next staging folder (MkDocs empties
        it before it builds). No request is served meanwhile: the server holds them while a build runs."""
        parked = self.staging + ".old"
        os.replace(self.served, parked)
        os.replace(self.staging, self.served)
        os.replace(parked, self.staging)

    def close(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def banner(self) -> bytes:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.errors)
        return (f'<div id="{BANNER_ID}" role="alert" style="position:sticky;top:0;z-index:100000;'
                'max-height:50vh;overflow:auto;padding:.8em 1.2em;background:#8b0000;color:#fff;'
                'font:14px/1.45 monospace;white-space:pre-wrap">'
                f'<strong>mkdocs serve: the rebuild at {self.failed_at} failed; this is the last good build. '
                'Fix these and save, and the page reloads:</strong>'
                f'<ul style="margin:.4em 0 0 1.2em;padding:0">{items}</ul></div>').encode()

    def with_banner(self, app):
        """APP (a WSGI application) whose HTML pages carry the banner while the last rebuild failed."""
        def banner_app(environ, start_response):
            if not self.errors:
                return app(environ, start_response)
            answer = {}

            def hold(status, headers, exc_info=None):
                answer.update(status=status, headers=headers, exc_info=exc_info)
                return lambda data: None  # the server's pages never write (they return their body)

            body = app(environ, hold)
            headers = answer.get("headers", [])
            if not any(k.lower() == "content-type" and v.startswith("text/html") for k, v in headers):
                start_response(answer["status"], headers, answer["exc_info"])
                return body
            try:
                content = b"".join(body)
            finally:
                if hasattr(body, "close"):
                    body.close()
            content = _after_body_tag(content, self.banner())
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers.append(("Content-Length", str(len(content))))
            start_response(answer["status"], headers, answer["exc_info"])
            return [content]
        return banner_app


_BODY_TAG = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


def _after_body_tag(page: bytes, insert: bytes) -> bytes:
    match = _BODY_TAG.search(page)
    at = match.end() if match else 0
    return page[:at] + insert + page[at:]
