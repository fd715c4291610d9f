"""The primer plugin: the whole build, its stages in the order the data flows.

MkDocs calls the events below in this order; each event calls the stages (primer.build.stages) in the order
they run. A page goes through:

  1 read     every input read once (UTF-8, YAML, front matter, glossary and manifest shapes: the input
             gate); the bibliography and the CSL style checked; the edition; the sources' manifest; every page's
             citation blocks read, pandoc started on them; glossary.yaml read into its page
  2 check    the figure check: every figure, quotation and claim of docs/, glossary.yaml and charts.yaml against
             its passage
  3 cite     each citation block a numbered mark with a one-line note and its passage; each page's and
             section's CSL record, every citation format rendered from it; the bibliography page
  4 derive   the figure and claims ledgers, the source-text page, the charts, the glossary's tooltips
  5 pages    corrections, the reading time, repairs to the HTML, each page's conversion reused when unchanged
  6 print    the print edition and its PDF

The build's state lives on `self.build`, made fresh in `on_config` for every build and every rebuild of
`mkdocs serve` (with `self.strict`, the count of warnings that makes --strict strict under -q and -v, made
first so that it counts the other plugins' warnings too); what a stage needs from an earlier one is passed in its arguments. `self.memory` alone is
kept across `mkdocs serve`'s rebuilds (MkDocs keeps a plugin instance that has `on_startup`): pages' renders,
reading times, print sections, CSL renderings, charts, the ledgers' chapter pages already made, and each page's marks,
theme HTML, search entries and finished output, each keyed by what it was made from.

Under `mkdocs serve`, `on_serve` (after the first build) has every input of the build watched and each rebuild
made into a folder of its own, served only when it succeeds: a failed rebuild keeps the last good site served, its
errors in the terminal and at the top of every page (primer.build.live_server).

Priorities are set only where MkDocs' own plugins require an order: mkdocs-bibtex reads the .bib and the
CSL style in its on_config (0) and would replace citation blocks in its on_page_markdown (0); mike's plugin,
in the builds mike makes, puts the edition into site_url in its on_config (0);
mkdocs-redirects records the pages in its on_files (0); Material's search plugin indexes each page in its
on_page_context (0).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.pages import Page

from primer.build import footnotes, marks_memo, post_page_memo, render_cache, search_memo, stage_memo, template_memo, templates
from primer.build.config import PrimerConfig
from primer.build.live_server import LiveSite
from primer.build.stages import (
    bibliography,
    citations,
    claims_ledger,
    editions,
    figure_ledger,
    inputs,
    repairs,
    safety,
)
from primer.build.stages.charts import Charts
from primer.build.stages.cite import CiteRecords
from primer.build.stages.claims_ledger import ClaimsLedger
from primer.build.stages.corrections import Corrections
from primer.build.stages.figure_ledger import FigureLedger
from primer.build.stages.glossary import Glossary
from primer.build.stages.marks import Marks
from primer.build.stages.print_edition import PrintEdition
from primer.build.stages.reading_time import ReadingTime
from primer.build.stages.safety import ContentPolicy
from primer.build.strict import Strict
from primer.checks import figures
from primer.site import counts, tables
from primer.site.excerpts import Excerpts


@dataclass
class Memory:
    """What `mkdocs serve` keeps from one rebuild to the next, each item keyed by what it was made from."""
    render: render_cache.RenderCache = field(default_factory=lambda: render_cache.RenderCache(None))
    reading_times: dict = field(default_factory=dict)
    print_pages: dict = field(default_factory=dict)
    csl: dict = field(default_factory=dict)
    charts: dict = field(default_factory=dict)
    search: dict = field(default_factory=dict)   # each page's search entries, by page: (key, entries)
    pages_html: dict = field(default_factory=dict)   # each page's HTML from the theme, by page: (key, html)
    post_pages: dict = field(default_factory=dict)   # each page's output after its last steps, by page: (key, output)
    marks: dict = field(default_factory=dict)   # each page's marks and notes, by page: (key, reads, marks)
    stages: dict = field(default_factory=dict)   # the ledgers' chapter pages and downloads, by their parts' key
    windows: dict = field(default_factory=dict)   # each excerpt's words, by what they were cut from (Excerpts)
    live: LiveSite | None = None   # under `mkdocs serve`, once its server is attached: where rebuilds write


@dataclass
class Build:
    """One build's state: the stages' objects and what they hand each other."""
    root: Path
    cache: Path
    check_cache: figures.ResultCache
    cite: CiteRecords
    corrections: Corrections
    print_edition: PrintEdition
    charts: Charts
    reading_time: ReadingTime
    content_policy: ContentPolicy
    reuse: stage_memo.Reuse   # serve: the ledgers' chapter pages and downloads of the last rebuild, where unchanged
    post_page: post_page_memo.PostPageMemo   # serve: each page's last steps of the last rebuild, where its HTML is unchanged
    glossary: Glossary = field(default_factory=Glossary)
    figure_ledger: FigureLedger = field(default_factory=FigureLedger)
    claims_ledger: ClaimsLedger = field(default_factory=ClaimsLedger)
    marks: Marks | None = None
    excerpts: Excerpts | None = None   # what each citation may show of a source whose licence is unknown
    check: figures.Result | None = None   # the figure check's result (None: it could not run)
    citations: dict = field(default_factory=dict)   # how many citations, and of public evidence
    source_cites: dict = field(default_factory=dict)   # each source document's reference and in-text citations
    sources: int = 0          # how many source documents the manifest lists
    search: dict = field(default_factory=dict)   # where each page's search entries came from (memory, disk, misses)
    templates: dict = field(default_factory=dict)   # serve: how many pages' HTML was reused (memory) or rendered
    files_key: str = ""       # the build's files and their URLs, for the render cache
    settings_key: str = ""    # the build's settings, for the render cache
    trace: list = field(default_factory=list)   # each stage as it ran: (stage, what), for the tests

    def ran(self, stage: int, what: str) -> None:
        self.trace.append((stage, what))


class PrimerPlugin(BasePlugin[PrimerConfig]):
    def __init__(self):
        self.command: str | None = None
        self.memory = Memory()
        self.build: Build | None = None
        self.strict: Strict | None = None

    def on_startup(self, *, command, dirty):
        self.command = command

    @event_priority(100)  # before mkdocs-bibtex reads the .bib and the CSL style (its on_config)
    def _config_before_bibtex(self, config):
        if self.build is not None:
            self.build.charts.finish()   # an earlier build that failed may have left a drawing running
        if self.strict is not None:
            self.strict.stop()
        self.strict = Strict(config.strict)                                          # every warning counted
        root = Path(config.config_file_path).resolve().parent
        inputs.check(root, config.docs_dir)                                          # 1 read: the input gate
        citations.check_bibliography(config, root)                                   # 1 read
        return config

    @event_priority(-100)  # after mike's plugin (0) has put the edition into site_url, in the builds mike makes
    def _config(self, config):
        root = Path(config.config_file_path).resolve().parent
        cache = root / self.config.cache_dir
        if self.memory.live is not None:
            config.site_dir = self.memory.live.staging   # serve: made the served site only if the build succeeds
        self.memory.render.folder = cache / "render"
        if len(self.memory.windows) > 200_000:   # serve: excerpts cut by earlier rebuilds, most no longer asked for
            self.memory.windows.clear()
        editions.check(config)                                                       # 1 read
        footnotes.use_fast_footnotes(config)                                         # 3 cite: marks are footnotes
        policy = ContentPolicy(config, self.command)                                 # 5 pages
        self.build = Build(
            root=root, cache=cache,
            check_cache=figures.ResultCache(cache / "figures", root),                # 2 check
            cite=CiteRecords(config, self.memory.csl, cache / "csl"),                # 3 cite
            corrections=Corrections(config, root),                                   # 5 pages
            print_edition=PrintEdition(self.command, self.config.pdf, self.memory.print_pages),   # 6 print
            charts=Charts(cache / "charts", self.memory.charts),                     # 4 derive
            reading_time=ReadingTime(self.config.reading.words_per_minute, self.memory.reading_times),  # 5 pages
            content_policy=policy,                                                   # 5 pages
            reuse=stage_memo.Reuse(self.memory.stages if self.command == "serve" else None),   # 4 derive
            post_page=post_page_memo.PostPageMemo(self.memory.post_pages if self.command == "serve" else None,
                                                  policy, root),                     # 5 pages
        )
        self.build.search = search_memo.use(config, self.memory.search, cache / "search")   # 5 pages: search entries
        self.build.ran(1, "config")
        return config

    on_config = CombinedEvent(_config_before_bibtex, _config)

    def on_serve(self, server, *, config, builder):
        # `mkdocs serve` (after its first build): every input watched, and a failed rebuild keeps the last good
        # site served, with its errors shown (primer.build.live_server)
        self.memory.live = LiveSite.attach(server, config, self.build.root)
        return server

    def on_shutdown(self):
        if self.memory.live is not None:
            self.memory.live.close()

    def on_pre_build(self, *, config):
        self.build.charts.start()   # 4 derive: with no drawing cached, matplotlib is imported meanwhile

    @event_priority(50)  # before mkdocs-redirects records the pages: a redirect may lead to a generated page
    def on_files(self, files, *, config):
        b = self.build
        b.glossary.add_page(files, config, b.root)                                   # 1 read (the page cites)
        b.citations = citations.read_blocks(files, config, b.root, b.cache / "pandoc")   # 1 read: pandoc starts
        b.print_edition.add_page(files, config)                                      # 6 print: its links validate
        b.ran(1, "files")
        b.check = figure_ledger.check(files, config, b.root, b.check_cache,          # 2 check
                                      stop_on_problems=config.strict and self.command != "serve")
        b.ran(2, "files")
        b.excerpts = Excerpts.of_project(b.root, self.memory.windows)                # 3 cite: licences' limits
        if b.check is not None:
            b.excerpts.plan(b.check.claims)
        b.source_cites = bibliography.source_cites(config, b.root)                  # 3 cite: each source's citations
        b.marks = Marks(config, b.root, b.check_cache, b.excerpts, b.source_cites,   # 3 cite: waits for pandoc
                        marks_memo.MarksMemo(self.memory.marks if self.command == "serve" else None))
        if b.check is not None:
            b.figure_ledger.add_pages(files, config, b.root, b.check, b.excerpts, b.marks.label_for,    # 4 derive
                                      b.reuse)
        b.sources = claims_ledger.add_source_texts(files, config, b.root)            # 4 derive
        if b.check is not None:
            b.claims_ledger.add_pages(files, config, b.root, b.check, b.excerpts, b.marks.label_for,  # 4 derive
                                      b.reuse)
        bibliography.add_page(files, config, b.root, b.source_cites)                 # 3 cite
        b.charts.resolve(files, config, b.root, b.check)                             # 4 derive
        b.corrections.check_pages(files)                                             # 5 pages
        b.ran(4, "files")
        return files

    def on_nav(self, nav, *, config, files):
        self.build.print_edition.nav = nav                                           # 6 print
        self.build.files_key = render_cache.files_key(files)                         # 5 pages
        self.build.settings_key = render_cache.settings_key(config)
        return nav

    def on_pre_page(self, page, *, config, files):
        # 5 pages: Python-Markdown's conversion of the page reused while its Markdown, links and settings are
        # what they were (every stage still makes the page's Markdown)
        page.render = functools.partial(self.memory.render.render, page, original=Page.render,
                                        files_key=self.build.files_key, settings_key=self.build.settings_key)
        return page

    @event_priority(10)  # before mkdocs-bibtex (0) would replace the citation blocks
    def _markdown_before_bibtex(self, markdown, *, page, config, files):
        b = self.build
        markdown = b.charts.expand(markdown, page)                                   # 4 derive: figure + caption
        markdown = b.marks.mark(markdown, page, files)                               # 3 cite: marks and notes
        b.ran(3, "page_markdown")
        return markdown

    @event_priority(-100)  # after mkdocs-bibtex (0), which appends its (empty) bibliography to every page
    def _markdown_after_bibtex(self, markdown, *, page, config, files):
        b = self.build
        markdown = b.glossary.with_abbreviations(markdown)                           # 4 derive: tooltips
        markdown = counts.with_source_count(markdown, b.sources)                     # 1 read: the manifest's count
        markdown = b.print_edition.list_downloads(markdown, page, config)            # 6 print: the downloads rows
        markdown = b.corrections.add_note(markdown, page, config)                    # 5 pages
        markdown = b.corrections.report_line(markdown, page, config)                 # 5 pages: how to report
        markdown = figure_ledger.with_summary(markdown, b.check, b.citations)        # 2 check: its numbers
        markdown = b.cite.add_block(markdown, page)                                  # 3 cite: "Cite this page"
        safety.front_matter_as_html(page)                                            # 5 pages: title as text
        b.ran(5, "page_markdown")
        return markdown

    on_page_markdown = CombinedEvent(_markdown_before_bibtex, _markdown_after_bibtex)

    def on_page_content(self, html, *, page, config, files):
        b = self.build
        html = repairs.content(html)                                                 # 5 pages: stray "&"
        html = tables.as_cards(html)                                                 # 5 pages: tables on a phone
        html = b.figure_ledger.put_table(html, page, files)                          # 4 derive
        html = b.charts.put_svgs(html)                                               # 4 derive
        html = b.cite.number_sections(html, page)                                    # 3 cite: sections' records
        html = b.reading_time.add_line(html, page)                                   # 5 pages
        html = b.marks.hold(html, page, files)                                       # 3 cite: notes out of search
        return html

    @event_priority(-100)  # after Material's search plugin (0) indexed the page without its notes
    def on_page_context(self, context, *, page, config, nav):
        self.build.marks.fill(page)                                                  # 3 cite: notes in place
        return context

    def on_env(self, env, *, config, files):
        b = self.build
        b.cite.render_all(files)                                                     # 3 cite: one pandoc run
        templates.use_bytecode_cache(env, b.cache / "jinja")                         # 5 pages
        if self.command == "serve":   # 5 pages: an unchanged page's HTML reused from the last rebuild
            template_memo.use(env, self.memory.pages_html, b.templates)
        b.print_edition.assemble(files, b.marks.with_notes)                          # 6 print
        b.ran(6, "env")
        return env

    def on_post_page(self, output, *, page, config):
        b = self.build
        output = b.claims_ledger.put_cards(output, page)                             # 4 derive
        output = b.cite.fill(output)                                                 # 3 cite
        # 5 pages: the steps below; under `mkdocs serve`, their output of the last rebuild while this is unchanged
        return b.post_page(output, page, functools.partial(self._finish_page, page=page))

    def _finish_page(self, output, *, page):
        b = self.build
        output = repairs.name_search_dialog(output)                                  # 5 pages
        output = repairs.drop_empty_tabindex(output)                                 # 5 pages
        output = safety.tooltips(output)                                             # 5 pages: tooltips as text
        safety.unsafe_links(output, page.file.src_uri, b.root, page.file.abs_src_path)  # 5 pages: no script URL
        return b.content_policy.add(output, page.file.src_uri)                       # 5 pages: CSP, last

    def on_post_template(self, output_content, *, template_name, config):
        output = repairs.drop_empty_tabindex(output_content)                         # 5 pages: 404.html
        safety.unsafe_links(output, template_name, self.build.root, None)            # 5 pages: no script URL
        return self.build.content_policy.add(output, template_name)                  # 5 pages: CSP, last

    def on_post_build(self, *, config):
        self.strict.check()                                                          # --strict: any warning stops
        self.build.reuse.finish()                                                    # 4 derive: serve keeps these
        self.build.cite.write_downloads(config.site_dir)                             # 3 cite: sections' RIS, CSL-JSON
        self.build.charts.finish()                                                   # 4 derive: drawings kept
        self.build.print_edition.write_pdf(config)                                   # 6 print: the PDF
        self.build.ran(6, "post_build")
        self.strict.stop()

    def on_build_error(self, *, error):
        if self.build is not None:
            self.build.charts.finish()
        if self.strict is not None:
            self.strict.stop()
