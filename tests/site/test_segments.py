"""The search index's Chinese word breaks remembered between builds (site.segments): jieba's own breaks,
jieba asked only about runs not seen before, and a file not signed by this user never used."""
from __future__ import annotations

from pathlib import Path

import jieba
import pytest
from material.plugins.search.plugin import SearchIndex

from generator.site.segments import _ENCODER, FILE, Segmenter, _WordsFile
from generator.speed.signed import read_signed, write_signed

KEY, OTHER_KEY = b"k" * 32, b"o" * 32
TEXTS = [
    "",
    "1-1-101 业主 张敏",
    "欠费 3,208.00 元，逾期 182 天；催缴通知书已送达。",
    "物业服务合同（民法典第九百四十四条）English words 与 中文 mixed",
    "　全角空格、标点：「引号」……",
    "𠀀𠀁 扩展区汉字 and 〇",
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_breaks_are_those_material_gives(tmp_path, text):
    assert Segmenter(tmp_path, KEY, "v1").segment(text) == SearchIndex()._segment_chinese(text)


def test_breaks_kept_by_one_build_are_used_by_the_next_without_asking_jieba(tmp_path, monkeypatch):
    first = Segmenter(tmp_path, KEY, "v1")
    made = first.segment(TEXTS[2])
    first.save()
    assert read_signed(tmp_path, FILE, KEY) is not None
    monkeypatch.setattr(jieba, "cut", lambda *args, **kwargs: pytest.fail("jieba asked about a run it was asked before"))
    second = Segmenter(tmp_path, KEY, "v1")
    assert second.segment(TEXTS[2]) == made
    second.save()
    assert not second.added


def test_a_kept_break_is_what_the_memo_says(tmp_path):
    """What the memo holds is used as it is (so it must be jieba's: only this user's signed file is read)."""
    write_signed(tmp_path, FILE, KEY, _ENCODER.encode(_WordsFile("v1", {"物业费": "物\u200b业费"})))
    assert Segmenter(tmp_path, KEY, "v1").segment("物业费") == "物\u200b业费"
    assert Segmenter(tmp_path, KEY, "v1").segment("交 物业费 3 元") == "交\u200b \u200b物\u200b业费\u200b 3 \u200b元"


@pytest.mark.parametrize("key, versions", [(OTHER_KEY, "v1"), (KEY, "v2")])
def test_a_file_signed_by_another_key_or_made_with_other_versions_is_not_used(tmp_path, key, versions):
    write_signed(tmp_path, FILE, key, _ENCODER.encode(_WordsFile(versions, {"物业费": "物\u200b业费"})))
    segmenter = Segmenter(tmp_path, KEY, "v1")
    assert segmenter.words == {}
    assert segmenter.segment("物业费") == SearchIndex()._segment_chinese("物业费")


def test_a_link_or_garbage_in_the_files_place_is_not_read_and_not_written_through(tmp_path):
    secret = tmp_path / "secret"
    secret.write_bytes(b"x" * 100)
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / FILE).symlink_to(secret)
    segmenter = Segmenter(folder, KEY, "v1")
    assert segmenter.words == {}
    segmenter.segment("物业费")
    segmenter.save()
    assert secret.read_bytes() == b"x" * 100
    assert not (folder / FILE).is_symlink() and read_signed(folder, FILE, KEY) is not None
    (folder / FILE).write_bytes(b"\x00" * 40)
    assert Segmenter(folder, KEY, "v1").words == {}


def test_without_a_cache_key_nothing_is_written(tmp_path):
    segmenter = Segmenter(tmp_path, None, "v1")
    segmenter.segment("物业费")
    segmenter.save()
    assert not (tmp_path / FILE).exists()


def test_past_the_limit_only_the_runs_of_this_build_are_kept(tmp_path, monkeypatch):
    from generator.site import segments

    monkeypatch.setattr(segments, "MAX_WORDS", 2)
    write_signed(tmp_path, FILE, KEY, _ENCODER.encode(_WordsFile("v1", {"甲": "甲", "乙": "乙", "丙": "丙"})))
    segmenter = Segmenter(tmp_path, KEY, "v1")
    segmenter.segment("甲 物业费")
    segmenter.save()
    assert sorted(Segmenter(tmp_path, KEY, "v1").words) == ["物业费", "甲"]


class _Plugin:
    def __init__(self, **options) -> None:
        self.config = options
        self.search_index = SearchIndex(**options)


class _Config:
    def __init__(self, *plugins) -> None:
        self.plugins = {f"p{i}": p for i, p in enumerate(plugins)}


def test_it_segments_the_search_index_unless_the_site_names_its_own_dictionary(tmp_path):
    segmenter = Segmenter(tmp_path, KEY, "v1")
    plain = _Plugin(lang=["zh"])
    assert segmenter.install(_Config(object(), plain))
    assert plain.search_index._segment_chinese == segmenter.segment
    assert SearchIndex()._segment_chinese != segmenter.segment  # only that build's index
    for option in ("jieba_dict", "jieba_dict_user"):
        own = _Plugin(**{option: str(Path("words.txt"))})
        assert not segmenter.install(_Config(own))
        assert own.search_index._segment_chinese != segmenter.segment
    assert not segmenter.install(_Config(object()))
