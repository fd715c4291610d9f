"""The number of source documents, written once: in sources/manifest.yaml. A page that states it writes
`<span class="editorial source-count">four</span>` (the word as the page has it today, which the figure check
reads as the primer's own number), and the build puts in the manifest's count, spelt as a word (capitalised when
the page's word is). Adding a source changes every such count; no page assumes four. No MkDocs import."""
from __future__ import annotations

import re

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")
_SPAN = re.compile(r'(<span class="editorial source-count">)([^<]*)(</span>)')


def number_word(n: int) -> str:
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


def with_source_count(markdown: str, count: int) -> str:
    """MARKDOWN with each source-count span holding COUNT as a word."""
    def put(match):
        word = number_word(count)
        if match.group(2)[:1].isupper():
            word = word[:1].upper() + word[1:]
        return match.group(1) + word + match.group(3)
    return _SPAN.sub(put, markdown)
