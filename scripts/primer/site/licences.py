"""A source's licence, read as people write it: an SPDX identifier (`CC-BY-4.0`, `CC0-1.0`), its usual short form
(`CC BY 4.0`), or its name in words (`Creative Commons Attribution-ShareAlike 4.0 International`); `public domain`;
or `unknown`. What the site may show of a source follows from it (primer.site.passages.policy): an open licence,
the whole text on a page of its own, with its attribution; any other, only the excerpts a claim needs
(primer.site.excerpts). No MkDocs import."""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Licence:
    spdx: str      # "CC-BY-SA-4.0", "CC0-1.0", "LicenseRef-public-domain", "LicenseRef-unknown"
    name: str      # as the site shows it: "CC BY-SA 4.0"
    open: bool     # whether the site may republish the whole text
    url: str       # the licence's deed, or ""


_CC = re.compile(r"""^\s*(?:cc|creative\s+commons)[\s-]*
    (?P<terms>(?:by|attribution)(?:[\s-]*(?:nc|non-?commercial))?(?:[\s-]*(?:sa|share-?alike|nd|no-?deriv\w*))?)
    [\s-]*(?:licen[cs]e[\s-]*)?(?:v(?:ersion)?\s*)?(?P<version>[0-9](?:\.[0-9])?)(?:[\s-]*international)?\b""",
                 re.I | re.X)
_CC0 = re.compile(r"^\s*(?:cc0|cc[\s-]*zero|creative\s+commons\s+zero)(?:[\s-]*(?:v(?:ersion)?\s*)?1\.0)?\b", re.I)
_PUBLIC = re.compile(r"^\s*(?:public[\s-]*domain|pd)\b", re.I)
_UNKNOWN = re.compile(r"^\s*(?:unknown|none|not\s+stated|no\s+licen[cs]e)\b", re.I)
_RESERVED = re.compile(r"^\s*(?:all\s+rights\s+reserved|©|\(c\)|copyright)", re.I)
_TERMS = {"by": "BY", "attribution": "BY", "nc": "NC", "noncommercial": "NC", "non-commercial": "NC",
          "sa": "SA", "sharealike": "SA", "share-alike": "SA", "nd": "ND"}

ACCEPTED = ("CC0-1.0 (or CC0, Creative Commons Zero)", "CC-BY-4.0 (or CC BY 4.0, Creative Commons Attribution 4.0)",
            "CC-BY-SA-4.0 (or CC BY-SA 4.0, Creative Commons Attribution-ShareAlike 4.0)",
            "CC-BY-NC-4.0, CC-BY-NC-SA-4.0, CC-BY-ND-4.0, CC-BY-NC-ND-4.0 (not open: excerpts only)",
            "any of these with version 1.0, 2.0, 2.5, 3.0 or 4.0", "public domain", "all rights reserved (excerpts only)",
            "unknown (no licence stated: excerpts only)")


class LicenceError(ValueError):
    """A licence written in a way this module does not read; the message lists what it accepts."""


def read(text) -> Licence:
    """TEXT (a manifest's `licence`, a command's LICENCE) as a Licence; LicenceError when it is not one of ACCEPTED.
    Words after the licence ("CC BY 4.0 (stated in the text)") are a note and are kept out."""
    text = str(text or "").strip()
    if not text:
        raise LicenceError("no licence given; write the one the source states, or `unknown`: " + "; ".join(ACCEPTED))
    if _CC0.match(text):
        return Licence("CC0-1.0", "CC0 1.0", True, "https://creativecommons.org/publicdomain/zero/1.0/")
    match = _CC.match(text)
    if match:
        words = re.findall(r"by|attribution|non-?commercial|nc|share-?alike|sa|no-?deriv\w*|nd", match.group("terms"), re.I)
        terms = []
        for word in words:
            term = "ND" if word.lower().startswith("no") and "deriv" in word.lower() else _TERMS.get(word.lower(), "")
            if term and term not in terms:
                terms.append(term)
        version = match.group("version") if "." in match.group("version") else match.group("version") + ".0"
        short = "-".join(terms)
        open_ = set(terms) <= {"BY", "SA"}
        return Licence(f"CC-{short}-{version}", f"CC {short} {version}", open_,
                       f"https://creativecommons.org/licenses/{short.lower()}/{version}/")
    if _PUBLIC.match(text):
        return Licence("LicenseRef-public-domain", "public domain", True, "")
    if _UNKNOWN.match(text):
        return Licence("LicenseRef-unknown", "unknown", False, "")
    if _RESERVED.match(text):
        return Licence("LicenseRef-all-rights-reserved", "all rights reserved", False, "")
    raise LicenceError(f"licence {text!r} is not one this primer reads; write one of: " + "; ".join(ACCEPTED))
