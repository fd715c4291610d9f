"""axe-core (bundled, offline, by axe-playwright-python) on every page, light and dark, desktop
and phone (browsing.SETTINGS): no violation of impact "serious" or "critical"."""
from __future__ import annotations

import warnings

import pytest

from .browsing import AXE_LEDGER_SAMPLES, MATERIAL_SCHEME, ONLY_COLOUR, SETTINGS, axe_options, repeats

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
    checked = [visit for visit in result.visits if visit.axe is not None]
    if setting == next(iter(SETTINGS)):
        assert len(checked) == len(paths), f"axe did not run on {sorted(paths - {v.path for v in checked})}"
    else:
        assert len(checked) >= 25, f"axe ran on {len(checked)} pages only"
    if setting != "mobile-light":   # the colour rules saw every text style of every page in this scheme
        assert all(visit.styles for visit in result.visits), "a page with no text style: TEXT_STYLES_JS reads nothing"
        coloured = [visit for visit in checked if "rules" not in visit.axe]
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


def test_a_repeating_page_gets_the_colour_rules_when_it_shows_a_style_they_have_not_checked():
    """The survey's choice of rules (browsing.axe_options): a ledger page other than the samples, or the print
    edition, is checked for colour only when one of its text styles is new in that setting."""
    ledger, chapter = "reference/claims-ledger/primer-external-risks/", "primer/external-risks/"
    assert repeats(ledger) and repeats("reference/print-edition/") and not repeats(chapter)
    assert not any(repeats(path) for path in AXE_LEDGER_SAMPLES)
    checked = {"a", "b"}
    assert axe_options(ledger, "desktop-light", {"a"}, checked)["rules"]          # every rule but colour
    assert "rules" not in axe_options(ledger, "desktop-light", {"a", "c"}, checked)   # every rule
    assert axe_options(ledger, "desktop-dark", {"b"}, checked) is None
    assert axe_options(ledger, "desktop-dark", {"c"}, checked)["runOnly"] == ONLY_COLOUR["runOnly"]
    assert axe_options(chapter, "desktop-dark", {"a"}, checked)["runOnly"] == ONLY_COLOUR["runOnly"]
    assert "rules" not in axe_options(chapter, "desktop-light", set(), checked)
    assert axe_options(ledger, "mobile-light", {"c"}, checked) is None
    assert axe_options(chapter, "mobile-light", {"c"}, checked)["rules"]
