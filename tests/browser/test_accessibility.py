"""axe-core (bundled, offline, by axe-playwright-python) on every page, light and dark, desktop
and phone (browsing.SETTINGS): no violation of impact "serious" or "critical"."""
from __future__ import annotations

import warnings

import pytest

from .browsing import AXE_LEDGER_SAMPLES, MATERIAL_SCHEME, NEW_STYLE, SETTINGS, TEXT_STYLES_JS, axe_runs, colour_checked, goto, repeats

BLOCKING = {"serious", "critical"}

# Violations in Material's own templates that our CSS and configuration cannot reach. Each is
# excused for one rule on one selector only, and reported as a warning on every run.
# None today: Material's search dialog, which had no accessible name, is named by primer.build.stages.repairs.
THEME_ISSUES: dict[tuple[str, str], str] = {}


@pytest.mark.parametrize("setting", SETTINGS)
def test_no_serious_accessibility_violation(survey, setting):
    result = survey(setting)
    paths = {visit.path for visit in result.visits}
    assert AXE_LEDGER_SAMPLES <= paths, f"a ledger page axe checks in every setting is gone: {AXE_LEDGER_SAMPLES - paths}"
    checked = [visit for visit in result.visits if visit.axe]
    if setting == next(iter(SETTINGS)):
        assert len(checked) == len(paths), f"axe did not run on {sorted(paths - {v.path for v in checked})}"
    else:
        assert len(checked) >= 25, f"axe ran on {len(checked)} pages only"
    if setting != "mobile-light":   # the colour rules saw every text style of every page in this scheme
        assert all(visit.styles for visit in result.visits), "a page with no text style: TEXT_STYLES_JS reads nothing"
        coloured = [visit for visit in checked if colour_checked(visit.axe)]
        assert {visit.path for visit in coloured} >= {path for path in paths if not repeats(path)}
        seen = frozenset().union(*(visit.styles for visit in coloured))
        unseen = {visit.path: len(visit.styles - seen) for visit in result.visits if visit.styles - seen}
        assert not unseen, f"text styles the colour rules never checked ({setting}), by page: {unseen}"
    expected = MATERIAL_SCHEME[SETTINGS[setting][1]]
    wrong = [f"/{visit.path}" for visit in result.visits if visit.scheme != expected]
    assert not wrong, f"not in Material's {expected!r} scheme ({setting}): {wrong}"
    problems, excused = [], {}
    for visit in result.visits:
        for violation in visit.violations:
            if violation["impact"] not in BLOCKING:
                continue
            nodes = []
            for node in violation["nodes"]:
                key = (violation["id"], " ".join(map(str, node["target"])))
                if key in THEME_ISSUES:
                    excused.setdefault(key, []).append(f"/{visit.path}")
                else:
                    nodes.append(node)
            if nodes:
                targets = "; ".join(" ".join(map(str, n["target"])) for n in nodes[:3])
                problems.append(f"/{visit.path} ({setting}): {violation['id']} [{violation['impact']}] "
                                f"{violation['help']}: {len(nodes)} element(s), e.g. {targets}")
    for (rule, target), pages in excused.items():
        warnings.warn(f"axe {rule} on {target} excused ({THEME_ISSUES[(rule, target)]}) on "
                      f"{len(pages)} page(s), {setting}", stacklevel=1)
    assert not problems, "\n".join(problems)
    result.traffic.assert_clean()


def test_a_repeating_page_gets_the_colour_rules_on_the_texts_whose_style_they_have_not_checked():
    """The survey's choice of runs (browsing.axe_runs): on a ledger page other than the samples, or the print
    edition, the colour rules check only the texts marked as showing a style new in that setting, if any; on any
    other page, the whole page."""
    ledger, chapter = "reference/claims-ledger/primer-external-risks/", "primer/external-risks/"
    assert repeats(ledger) and repeats("reference/print-edition/") and not repeats(chapter)
    assert not any(repeats(path) for path in AXE_LEDGER_SAMPLES)
    new_only = {"include": [f"[{NEW_STYLE}]"]}

    def shape(runs):   # (context, colour rules only / every rule but colour / every rule) for each run
        return [(context, "colour" if "runOnly" in options else "no colour" if "rules" in options else "all")
                for context, options in runs]
    assert shape(axe_runs(ledger, "desktop-light", False)) == [(None, "no colour")]
    assert shape(axe_runs(ledger, "desktop-light", True)) == [(None, "no colour"), (new_only, "colour")]
    assert shape(axe_runs(ledger, "desktop-dark", False)) == []
    assert shape(axe_runs(ledger, "desktop-dark", True)) == [(new_only, "colour")]
    assert shape(axe_runs(chapter, "desktop-dark", False)) == [(None, "colour")]
    assert shape(axe_runs(chapter, "desktop-light", False)) == [(None, "all")]
    assert shape(axe_runs(ledger, "mobile-light", True)) == []
    assert shape(axe_runs(chapter, "mobile-light", True)) == [(None, "no colour")]
    assert colour_checked(axe_runs(ledger, "desktop-light", True)) and not colour_checked(axe_runs(ledger, "desktop-light", False))


def test_the_colour_rules_check_exactly_the_texts_marked_as_a_new_style(open_page, site_url):
    """TEXT_STYLES_JS marks the texts whose style is not among those given, and the colour rules, run on the
    marked texts, check those (and what they hold) and no other (on a ledger page, every style known but one)."""
    from axe_playwright_python.sync_playwright import Axe

    page, traffic = open_page()
    goto(page, site_url + "reference/claims-ledger/primer-external-risks/", traffic)
    styles = page.evaluate(TEXT_STYLES_JS, [])
    assert len(styles) > 3
    page.evaluate(f"() => document.querySelectorAll('[{NEW_STYLE}]').forEach(el => el.removeAttribute('{NEW_STYLE}'))")
    counts = {style: 0 for style in styles}
    for style in styles:   # how many texts show each style
        page.evaluate(TEXT_STYLES_JS, [s for s in styles if s != style])
        counts[style] = page.locator(f"[{NEW_STYLE}]").count()
        page.evaluate(f"() => document.querySelectorAll('[{NEW_STYLE}]').forEach(el => el.removeAttribute('{NEW_STYLE}'))")
    assert all(counts.values()), counts
    common = max(styles, key=counts.get)   # the style most texts show: the one left unknown

    def contrast_targets(context=None):
        found = Axe().run(page, context=context, options={"runOnly": {"type": "rule", "values": ["color-contrast"]}})
        return [" ".join(map(str, node["target"])) for kind in ("passes", "violations", "incomplete")
                for rule in found.response[kind] for node in rule["nodes"]]
    everywhere = contrast_targets()
    assert sorted(page.evaluate(TEXT_STYLES_JS, [s for s in styles if s != common])) == sorted(styles)
    targets = contrast_targets({"include": [f"[{NEW_STYLE}]"]})
    assert 0 < len(targets) < len(everywhere) and set(targets) <= set(everywhere), (len(targets), len(everywhere))
    assert all(page.evaluate(f"(t) => document.querySelector(t).closest('[{NEW_STYLE}]') !== null", t) for t in targets)
