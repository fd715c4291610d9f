"""primer.checks.figures.numbers and formulas: every number format of the four sources, what is not a
figure, and derived figures' arithmetic.

Each builds a small project in a temporary folder (tests/figure_check/small_project.py) unless it
says it uses the real sources."""
from __future__ import annotations

from decimal import Decimal

import pytest

from primer.checks import figures as cf


# ---------------------------------------------------------------------------
# Extraction and normalisation: every number format of the four sources
# ---------------------------------------------------------------------------
def units_values(text: str, source: bool = False):
    return [(f.unit, f.value) for f in cf.extract_figures(text, source=source)]


FORMATS = [
    # money: currency, spacing, escape and scale (Li, the Guangdong brief)
    ("overseas revenue reached approximately US \\$56.3 billion, accounting", [("USD", "56300000000")]),
    ("Overseas revenue: US$56.3 billion", [("USD", "56300000000")]),
    ("its international GMV reached RMB 1.66 trillion, spanning", [("CNY", "1660000000000")]),
    ("the market size has topped the nation with RMB5.2 trillion, taking", [("CNY", "5200000000000")]),
    ("reached a leading \n\nUSD818 billion (or RMB5.2 trillion), taking",
     [("USD", "818000000000"), ("CNY", "5200000000000")]),
    ("US rose from USD20.6 billion in 1978 to USD2.2 trillion in 2007",
     [("USD", "20600000000"), ("year", "1978"), ("USD", "2200000000000"), ("year", "2007")]),
    ("rose from \n\nUSD2.5 billion in 1981 to USD986 billion", [("USD", "2500000000"), ("year", "1981"), ("USD", "986000000000")]),
    ("Related exports reached USD5 billion", [("USD", "5000000000")]),
    ("has invested RMB320 billion in research", [("CNY", "320000000000")]),
    ("could generate €2.1 billion in carbon duties", [("EUR", "2100000000")]),
    ("EUR 2.1 billion", [("EUR", "2100000000")]),
    ("¥68 (hardcover)", [("CNY", "68")]),
    ("import sales totaling around RMB 480 billion.", [("CNY", "480000000000")]),
    ("per-capita consumer spending reached RMB 26,796, but", [("CNY", "26796")]),
    ("5.2 trillion yuan", [("CNY", "5200000000000")]),
    # percentages and percentage points
    ("accounted for 39.6 percent of nominal GDP", [("percent", "39.6")]),
    ("39.6 per cent", [("percent", "39.6")]),
    ("with electronics taking up 50% of overall exports", [("percent", "50")]),
    ("up 1.8 percentage points year-on-year", [("pp", "1.8")]),
    ("GDP and 8.3 points above the national average", [("pp", "8.3")]),
    ("8.3 pp", [("pp", "8.3")]),
    ("subsidy-based duties exceeding 70 percent in some cases", [("percent", "70")]),
    ("still below the 50 percent-plus typical in many advanced economies", [("percent", "50")]),
    ("below the 10 percent-plus typical of earlier growth cycles", [("percent", "10")]),
    ("real growth of only 9.0 percent", [("percent", "9")]),
    ("only 2% of total FDI in 2019", [("percent", "2"), ("year", "2019")]),
    ("the San Francisco Bay Area (71.6%), the", [("percent", "71.6")]),
    ("from 40.08% in 2017 to 52.16% in 2019",
     [("percent", "40.08"), ("year", "2017"), ("percent", "52.16"), ("year", "2019")]),
    # ranges
    ("CBAM will add 1.5–2 percent to Chinese exporters' costs", [("percent", "1.5..2")]),
    ("More critically, 11–13 percent of exports", [("percent", "11..13")]),
    ("set back its high-end chip manufacturing by two to three years.", [("years", "2..3")]),
    ("set back by two to\nthree years", [("years", "2..3")]),                 # a wrapped chapter line
    ("the Five-Year Plan \n\n(2018-2022) on", [("years", "5"), ("year", "2018..2022")]),
    ("五年行动计划( 2018－2022 年)", [("year", "2018..2022")]),
    ("Figure 2. Trends (2020–2023).", [("count", "2"), ("year", "2020..2023")]),
    ("(Li 2008: 36-40)", [("year", "2008"), ("count", "36..40")]),
    ("Between 2016 and 2022, Guangzhou", [("year", "2016..2022")]),
    ("2018 – 2022", [("year", "2018..2022")]),
    ("US$1–2 billion", [("USD", "1000000000..2000000000")]),
    # units and qualifiers
    ("China's access to sub-2 nm process equipment", [("nm", "2")]),
    ("In 30 years, China’s exports", [("years", "30")]),
    ("Coverage: 240 + markets", [("count", "240")]),
    ("240+ markets", [("count", "240")]),
    ("spanning more than 240 countries", [("count", "240")]),
    ("at least 15 national-security reviews", [("count", "15")]),
    ("attracted up to 200 technological research fellows", [("count", "200")]),
    ("now numbering over 400 million people", [("count", "400000000")]),
    ("a 2.5 times rise", [("times", "2.5")]),
    # figures broken across lines in the Guangdong brief
    ("taking up 46.9% of the province’s \n\nGDP", [("percent", "46.9")]),
    ("taking up 46.9 \n\npercent of GDP", [("percent", "46.9")]),
    # counts with separators
    ("the region hosts five top-100 universities and 53,000 top-tier Chinese innovative companies",
     [("count", "5"), ("count", "100"), ("count", "53000")]),
    ("Guangzhou filed 6,558 patents, which is behind Beijing (25,055), Shenzhen (17,364) and \n\nShanghai (9,346).",
     [("count", "6558"), ("count", "25055"), ("count", "17364"), ("count", "9346")]),
    ("over 20,000 overseas brands", [("count", "20000")]),
    ("2,025 firms", [("count", "2025")]),                                        # a separator: not a year
    # years, decades, dates, ordinals
    ("Since 2020, China has advanced", [("year", "2020")]),
    ("since the 1980s, Guangdong", [("decade", "1980")]),
    ("Published: 14 July 2025", [("count", "14"), ("year", "2025")]),
    ("published 2025-07-14", [("year", "2025"), ("count", "14")]),
    ("supported by Beijing’s \n\n14th Five Year Plan", [("ordinal", "14"), ("years", "5")]),
    ("the 19th National People’s Congress", [("ordinal", "19")]),
    ("2025 2nd International Conference", [("year", "2025"), ("ordinal", "2")]),
    # number words
    ("has set up seven joint innovation laboratories", [("count", "7")]),
    ("The following are five priorities for enhancing opening-up", [("count", "5")]),
    ("together with \n\nnine other cities, would take the lead", [("count", "9")]),
    ("Guangzhou has six enterprises trusted", [("count", "6")]),
    ("twenty-five firms, a dozen labs, two hundred staff", [("count", "25"), ("count", "12"), ("count", "200")]),
    ("one hundred days", [("days", "100")]),
    ("−0.5 percent", [("percent", "-0.5")]),
]


@pytest.mark.parametrize("text,expected", FORMATS, ids=[c[0][:40] for c in FORMATS])
def test_number_formats_of_the_sources(text, expected):
    assert units_values(text) == expected


NOT_FIGURES = [
    "one of the AI hubs in China", "coordinated two-way internationalization", "a \"one-stop, one-system\" process",
    "the dual circulation paradigm", "First, policy design", "the first province to open up",
    "Entering the twenty-first century", "the world’s second-largest economy", "China’s third largest communications hub",
    "Longhua was placed fifth", "5G technology", "a 5G-based environment", "the COVID-19 outbreak", "since COVID19",
    "Essex, CO4 3SQ, United Kingdom", "mediate the magnitude [4,5]", "foreign inputs [7].",
    "doi: 10.1108/RAMJ-03-2021-0016", "广州市加快IAB产业发展五年行动计划", "version 2.1.3", "about 1/3 of", "at 10:30",
    "the G20 summit", "licensed CC BY 4.0", "Tencent often", "tens of", "hundreds of firms", "thousands of firms",
]


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_not_figures(text):
    assert cf.extract_figures(text) == []


def test_ordinal_words_are_indexed_in_sources_only():
    assert cf.extract_figures("Longhua was placed fifth and the twenty-first century") == []
    assert units_values("Longhua was placed fifth and the twenty-first century", source=True) == [
        ("ordinal", "5"), ("ordinal", "21")]


def key(text: str):
    figs = cf.extract_figures(text)
    assert len(figs) == 1, (text, figs)
    return figs[0].key


SAME_MEANING = [
    ("US$56.3 billion", "US \\$56.3 billion"), ("46.9%", "46.9 percent"), ("46.9 per cent", "46.9%"),
    ("seven", "7"), ("8.3 percentage points", "8.3 points"), ("USD818 billion", "US$818 billion"),
    ("USD818 billion", "USD 818,000 million"), ("RMB5.2 trillion", "RMB 5.2 trillion"),
    ("RMB 5.2 trillion", "5.2 trillion yuan"), ("CNY5.2 trillion", "RMB5.2 trillion"),
    ("€2.1 billion", "EUR 2.1 billion"), ("€2.1 billion", "EUR2.1bn"), ("2018–2022", "2018－2022"),
    ("2018-2022", "2018 – 2022"), ("240+", "240 +"), ("more than 240", "240 +"),
    ("50 percent", "50 percent-plus"), ("9 percent", "9.0 percent"), ("two to three years", "2–3 years"),
    ("1.5–2 percent", "1.5-2%"), ("14th", "14th"), ("twelve", "a dozen"), ("1,000", "1000"),
]
DIFFERENT_MEANING = [
    ("46.9%", "46.9 billion"), ("2 percent", "2 billion"), ("2.5 million", "2.5 billion"),
    ("USD2.5 million", "USD2.5 billion"), ("1.8 percent", "1.8 percentage points"), ("46.9%", "46.9"),
    ("46.9%", "US$46.9 billion"), ("14th", "14"), ("1980s", "1980"), ("RMB5.2 trillion", "USD5.2 trillion"),
    ("1.5–2 percent", "1.5 percent"), ("2018", "2,018"), ("30 years", "30"), ("46.9%", "46.8%"),
    ("8.3 basis points", "8.3 points"), ("2 nm", "2"), ("US$56.3 billion", "US$56.3 million"),
]


@pytest.mark.parametrize("a,b", SAME_MEANING)
def test_same_meaning_same_key(a, b):
    assert key(a) == key(b)


@pytest.mark.parametrize("a,b", DIFFERENT_MEANING)
def test_different_meaning_different_key(a, b):
    assert key(a) != key(b)


def test_qualifiers_stay_out_of_the_value():
    (plus,) = cf.extract_figures("Coverage: 240 + markets")
    (pct,) = cf.extract_figures("the 50 percent-plus typical")
    assert (plus.value, plus.qualifier) == ("240", "+")
    assert (pct.value, pct.unit, pct.qualifier) == ("50", "percent", "plus")


def test_offsets_and_written_form():
    text = "It reached US \\$56.3 billion in 2022."
    money, year = cf.extract_figures(text)
    assert text[money.start:money.end] == "US \\$56.3 billion" == money.text
    assert text[year.start:year.end] == "2022"
    assert money.numbers == (Decimal("56.3"),)


# ---------------------------------------------------------------------------
# Derived-figure formulas
# ---------------------------------------------------------------------------
def test_formula_is_exact_decimal():
    value, operands = cf.evaluate_formula("82.9 - 66.2")
    assert value == Decimal("16.7")                     # not 16.700000000000003
    assert operands == [Decimal("82.9"), Decimal("66.2")]


def test_formula_precedence_and_parentheses():
    value, _ = cf.evaluate_formula("(52.16 - 40.08) / 40.08 * 100")
    assert round(value, 1) == Decimal("30.1")
    assert cf.evaluate_formula("2 + 3 * 4")[0] == 14
    assert cf.evaluate_formula("(2 + 3) * 4")[0] == 20
    assert cf.evaluate_formula("-(2 - 5)")[0] == 3


@pytest.mark.parametrize("formula", [
    "__import__('os').system('touch PWNED')", "2 ** 8", "a + 1", "1,2 + 3", "82.9 - 66.2%", "lambda: 1",
    "", "[1][0]", "1 if 1 else 2", "2 // 1", "3 % 2", "open('x')", "'1' + '2'", "True + 1",
])
def test_formula_rejects_anything_but_arithmetic(formula):
    with pytest.raises(cf.FormulaError):
        cf.evaluate_formula(formula)


def test_formula_division_by_zero():
    with pytest.raises(cf.FormulaError, match="zero"):
        cf.evaluate_formula("1 / (2 - 2)")
