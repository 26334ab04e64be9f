"""The one Korean morphological analyser of the process (kiwipiepy, its model shipped as a package).

Loading the model takes about two seconds and some hundred megabytes, so it is loaded once per
process, on first use, and shared: the press-release intake and the search index both call
:func:`analyser`. Everything that needs morphemes goes through the helpers here.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

_lock = threading.Lock()
_kiwi = None

# Tags of the morphemes that carry meaning for matching: nouns, roots, foreign words, numbers,
# verb and adjective stems (Sejong tag set as kiwipiepy uses it).
CONTENT_TAGS = frozenset(
    {"NNG", "NNP", "NNB", "NR", "NP", "SL", "SH", "SN", "XR", "VV", "VA", "MAG"}
)


@dataclass(frozen=True, slots=True)
class Morpheme:
    form: str
    tag: str
    start: int  # character offset in the analysed text
    length: int


def analyser():
    """The process-wide ``kiwipiepy.Kiwi`` instance (created on first call, thread-safe)."""
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                _kiwi = Kiwi()
    return _kiwi


def morphemes(text: str) -> list[Morpheme]:
    """The morphemes of ``text`` with their offsets."""
    if not text or not text.strip():
        return []
    return [Morpheme(t.form, t.tag, t.start, t.len) for t in analyser().tokenize(text)]


@lru_cache(maxsize=4096)
def content_words(text: str) -> tuple[str, ...]:
    """The meaning-bearing morphemes of ``text``, lower-cased, in order (particles and endings
    dropped): "지역주도형 AI대전환을" and "지역 주도형 AI 대전환" give the same words."""
    return tuple(m.form.lower() for m in morphemes(text) if m.tag in CONTENT_TAGS)


def sentences(text: str) -> list[tuple[int, int, str]]:
    """The sentences of ``text`` as (start, end, sentence) with character offsets."""
    if not text or not text.strip():
        return []
    return [(s.start, s.end, s.text) for s in analyser().split_into_sents(text)]
