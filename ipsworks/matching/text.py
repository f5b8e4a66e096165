"""Light text similarity for job titles and kinds of work: character trigrams, no model.

A phrase such as "warehouse" or "delivery driving" is compared with a job title by how many
of the phrase's character trigrams the title contains (word-padded, so word starts and ends
count). It copes with plurals, small typos and word order, needs no download, and runs as
integer arrays: an inverted index (trigram -> documents) turns "this phrase against every
vacancy title" into one ``numpy.bincount``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

_ALPHABET = " abcdefghijklmnopqrstuvwxyz0123456789"
_CODE = {ch: i for i, ch in enumerate(_ALPHABET)}
_BASE = len(_ALPHABET)
VOCABULARY = _BASE**3  # every possible trigram id
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# Where a description of wanted work splits into separate kinds: "warehouse or delivery work".
_PHRASE_BREAK = re.compile(r"[,;/|\n.()+&]|\b(?:or|and|then|but|also|maybe|possibly)\b")
# Words that say nothing about the kind of work.
_STOP_TEXT = (
    "a an the of in on at to for with as be by from into any some something anything "
    "work works working job jobs role roles position positions kind kinds type types sort "
    "like likes would wants want interested interest ideally prefer preferably eg etc "
    "part full time parttime fulltime hours hour weekly week days day local near home "
    "not no again never do does did doing"
)
STOPWORDS = frozenset(_STOP_TEXT.split())


def normalise(text: str) -> str:
    """Lower case ASCII letters and digits separated by single spaces."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_ALNUM.sub(" ", folded.lower()).strip()


def words(text: str) -> list[str]:
    return [w for w in normalise(text).split() if w not in STOPWORDS]


def phrases(text: str) -> list[str]:
    """The separate kinds of work in free text, each as its meaningful words."""
    found = []
    for part in _PHRASE_BREAK.split(text.lower()):
        kept = " ".join(words(part or ""))
        if kept and kept not in found:
            found.append(kept)
    return found


@lru_cache(maxsize=200_000)
def trigram_ids(text: str) -> np.ndarray:
    """The sorted, unique trigram ids of a text's meaningful words (read-only array)."""
    grams = set()
    for word in words(text):
        padded = f" {word} "
        codes = [_CODE[ch] for ch in padded]
        for i in range(len(codes) - 2):
            grams.add((codes[i] * _BASE + codes[i + 1]) * _BASE + codes[i + 2])
    ids = np.fromiter(sorted(grams), dtype=np.int32, count=len(grams))
    ids.setflags(write=False)
    return ids


def containment(phrase: str, text: str) -> float:
    """Share of the phrase's trigrams found in the text (the one-pair version, for tests)."""
    wanted = trigram_ids(phrase)
    if wanted.size == 0:
        return 0.0
    return float(np.isin(wanted, trigram_ids(text)).sum()) / wanted.size


class TrigramIndex:
    """Documents by trigram: answers "how many of these trigrams does each document have?"."""

    def __init__(self, texts: Sequence[str]):
        arrays = [trigram_ids(t) for t in texts]
        self.size = len(arrays)
        self.sizes = np.fromiter((a.size for a in arrays), dtype=np.int32, count=self.size)
        grams = np.concatenate(arrays) if arrays else np.empty(0, dtype=np.int32)
        owners = np.repeat(np.arange(self.size, dtype=np.int32), self.sizes)
        order = np.argsort(grams, kind="stable")
        self.documents = owners[order]
        counts = np.bincount(grams, minlength=VOCABULARY)
        self.offsets = np.zeros(VOCABULARY + 1, dtype=np.int64)
        np.cumsum(counts, out=self.offsets[1:])

    @property
    def nbytes(self) -> int:
        return self.sizes.nbytes + self.documents.nbytes + self.offsets.nbytes

    def overlap(self, query: np.ndarray) -> np.ndarray:
        """For each document, how many of the query's (unique) trigrams it contains."""
        if query.size == 0 or self.size == 0:
            return np.zeros(self.size, dtype=np.int32)
        starts = self.offsets[query]
        ends = self.offsets[query + 1]
        parts = [self.documents[s:e] for s, e in zip(starts, ends, strict=True) if e > s]
        if not parts:
            return np.zeros(self.size, dtype=np.int32)
        return np.bincount(np.concatenate(parts), minlength=self.size).astype(np.int32)

    def containment_of(self, phrase: str) -> np.ndarray:
        """Share of the phrase's trigrams each document contains (phrase inside document)."""
        wanted = trigram_ids(phrase)
        if wanted.size == 0:
            return np.zeros(self.size, dtype=np.float64)
        return self.overlap(wanted) / float(wanted.size)

    def containment_in(self, text: str) -> np.ndarray:
        """Share of each document's trigrams found in the text (document inside text)."""
        found = self.overlap(trigram_ids(text))
        return np.where(self.sizes > 0, found / np.maximum(self.sizes, 1), 0.0)
