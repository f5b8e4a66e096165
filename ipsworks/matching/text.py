"""Light text similarity for job titles and kinds of work: character trigrams, no model.

A phrase such as "warehouse" or "delivery driving" is compared with a job title by how many
of each of its words' character trigrams the title contains (word-padded, so word starts and
ends count), averaged over the words. It copes with plurals, small typos and word order,
needs no download, and runs as integer arrays: an inverted index (trigram -> documents)
turns "this word against every vacancy title" into one ``numpy.bincount``.
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


def similarity(phrase: str, text: str) -> float:
    """How much of the phrase the text contains: for each word of the phrase, the share of its
    trigrams found in the text, averaged over the words (the one-pair version).

    Averaging by word keeps every word in play: "it support" is half in "Support worker"
    (the "it" is missing), where counting all the phrase's trigrams together would let the
    longer word carry it.
    """
    found = _gram_set(text)
    shares = []
    for word in words(phrase):
        grams = _gram_set(word)
        if grams:
            shares.append(len(grams & found) / len(grams))
    return sum(shares) / len(shares) if shares else 0.0


@lru_cache(maxsize=200_000)
def _gram_set(text: str) -> frozenset[int]:
    return frozenset(trigram_ids(text).tolist())


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

    def similarity_of(self, phrase: str) -> np.ndarray:
        """:func:`similarity` of the phrase within every document, as one array."""
        total = np.zeros(self.size, dtype=np.float64)
        counted = 0
        for word in words(phrase):
            grams = trigram_ids(word)
            if grams.size:
                total += self.overlap(grams) / float(grams.size)
                counted += 1
        return total / counted if counted else total


class PhraseIndex:
    """Many short phrases (a caseload's kinds of work, SOC example words) by their words:
    answers ":func:`similarity` of each phrase within this text" as one array."""

    def __init__(self, phrases: Sequence[str]):
        split = [[w for w in words(p) if trigram_ids(w).size] for p in phrases]
        self.size = len(split)
        self.word_counts = np.fromiter((len(ws) for ws in split), dtype=np.int32, count=self.size)
        self.word_phrase = np.repeat(np.arange(self.size, dtype=np.int64), self.word_counts)
        self.words = TrigramIndex([w for ws in split for w in ws])

    def similarity_within(self, text: str) -> np.ndarray:
        shares = self.words.overlap(trigram_ids(text)) / np.maximum(self.words.sizes, 1)
        totals = np.bincount(self.word_phrase, weights=shares, minlength=self.size)
        return np.where(self.word_counts > 0, totals / np.maximum(self.word_counts, 1), 0.0)
