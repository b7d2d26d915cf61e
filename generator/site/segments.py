"""The search index's Chinese word breaks, remembered between builds: jieba takes about a second to load.

Material's search plugin breaks every run of Han characters of a page's
title and text into words with jieba (``SearchIndex._segment_chinese``), and
jieba loads its whole dictionary the first time it is asked. A rebuild after
one new contact indexes a handful of pages whose runs were nearly all seen
before, so each run's breaks are kept in the work folder, signed with the
user's cache key (``speed.signed``: a file someone else wrote is never
used), and jieba is asked only about a run not seen before.

The breaks are jieba's (the same call, the same joining as Material's): the
file is keyed by every installed distribution's version (jieba's and the
theme's among them), and a site that names its own dictionary
(``jieba_dict``, ``jieba_dict_user``) is segmented by Material itself.
"""
from __future__ import annotations

from pathlib import Path

import msgspec
from backrefs import bre

from generator.speed.signed import read_decoded, write_signed

FILE = "search-words.msgpack"
MAX_WORDS = 200_000  # runs kept: far above a 5,000-unit site's (names, notes); beyond it only this build's are kept
HAN = bre.compile(r"(\p{script: Han}+)", bre.UNICODE)  # Material's own expression
BREAK = "\u200b"  # what Material puts between the words of a run, and around it


class _WordsFile(msgspec.Struct, frozen=True, array_like=True):
    versions: str  # ``pipeline.installed_versions()`` when the breaks were made
    words: dict[str, str]  # run of Han characters -> its words joined by BREAK


_DECODER = msgspec.msgpack.Decoder(_WordsFile)
_ENCODER = msgspec.msgpack.Encoder()


class Segmenter:
    """``segment(text)``: what Material's ``_segment_chinese`` returns for ``text``, jieba asked only about new runs."""

    def __init__(self, folder: Path, key: bytes | None, versions: str) -> None:
        self.folder, self.key, self.versions = folder, key, versions
        self.words: dict[str, str] = {}
        self.used: set[str] = set()
        self.added = False
        stored = read_decoded(folder, FILE, key, _DECODER)
        if stored is not None and stored.versions == versions:
            self.words = stored.words

    def segment(self, data: str) -> str:
        return HAN.sub(self._words_of, data).strip(BREAK)

    def _words_of(self, match) -> str:
        run = match.group(0)
        words = self.words.get(run)
        if words is None:
            import jieba  # loads its dictionary on the first cut

            words = self.words[run] = BREAK.join(jieba.cut(run.encode("utf-8")))
            self.added = True
        self.used.add(run)
        return BREAK + words + BREAK

    def save(self) -> None:
        """Keep the breaks for the next build, when this one found new runs (nothing is written otherwise)."""
        if not self.added or self.key is None:
            return
        words = self.words if len(self.words) <= MAX_WORDS else {run: self.words[run] for run in sorted(self.used)}
        write_signed(self.folder, FILE, self.key, _ENCODER.encode(_WordsFile(self.versions, words)))
        self.added = False

    def install(self, config) -> bool:
        """Segment the search index of ``config`` (after the search plugin's ``on_config``) with this memo; False
        when there is no index to segment or the site names its own dictionary (Material segments it then)."""
        for plugin in config.plugins.values():
            index = getattr(plugin, "search_index", None)
            options = getattr(plugin, "config", None)
            if index is None or not hasattr(index, "_segment_chinese") or not hasattr(options, "get"):
                continue
            if options.get("jieba_dict") or options.get("jieba_dict_user"):
                return False
            index._segment_chinese = self.segment  # this build's index only: the method of its instance
            return True
        return False
