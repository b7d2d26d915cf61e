"""The Chinese font embedded in the letters: found on the system, subset once, cached.

A PDF that embeds a big CJK font directly weighs ~300 KB per page, because
WeasyPrint keeps every glyph id up to the highest one used.  A font cut
down once to GB 2312 (the 6,763 everyday hanzi, ASCII and Chinese
punctuation) has small glyph ids, so a one-page letter weighs ~50 KB.  The
cut depends only on the system font's bytes, never on the data, so the
same letter gives the same bytes in any build.  Characters outside it (rare
names) fall back to the full system font; a character no font has stops
the build instead of printing a box.
"""
from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from generator.core.errors import CuijiaoError
from generator.core.paths import user_cache
from generator.render.outputs import real_folder, write_new
from generator.speed.signed import read_signed, write_signed

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
# (family, file name pattern): the first one installed wins
CANDIDATES = (
    ("Noto Sans CJK SC", "NotoSansCJK-Regular.ttc"),
    ("Noto Sans CJK SC", "NotoSansCJKsc-Regular.otf"),
    ("Source Han Sans SC", "SourceHanSansSC-Regular.otf"),
    ("WenQuanYi Micro Hei", "wqy-microhei.ttc"),
    ("WenQuanYi Zen Hei", "wqy-zenhei.ttc"),
)
INSTALL_HINT = "请安装中文字体：sudo apt-get install fonts-noto-cjk（或 fonts-wqy-microhei）"
SUBSET_VERSION = "3"


class NoCJKFont(CuijiaoError, RuntimeError):
    """No Chinese font is installed: text would print as boxes."""


@dataclass(frozen=True, slots=True)
class SystemFont:
    family: str
    path: Path
    index: int  # face number inside a .ttc collection


@dataclass(frozen=True, slots=True)
class LetterFont:
    family: str  # the system family, the fallback for characters outside the subset
    subset: Path  # the cached GB 2312 subset
    digest: str  # sha256 of the subset: part of every letter's cache key
    covered: frozenset[str]  # characters the subset or the system font can draw


def find_system_font() -> SystemFont:
    from fontTools.ttLib import TTCollection, TTFont

    for family, filename in CANDIDATES:
        for folder in FONT_DIRS:
            for path in sorted(Path(os.path.expanduser(folder)).rglob(filename)) if Path(os.path.expanduser(folder)).is_dir() else ():
                if path.suffix == ".ttc":
                    faces = TTCollection(str(path), lazy=True).fonts
                else:
                    faces = [TTFont(str(path), lazy=True)]
                for index, face in enumerate(faces):
                    if face["name"].getDebugName(1) == family:
                        return SystemFont(family, path, index)
    raise NoCJKFont("找不到中文字体，函件无法显示中文。" + INSTALL_HINT)


def everyday_characters() -> list[str]:
    """GB 2312 (symbols and both levels of hanzi) plus printable ASCII: what letters almost always use."""
    chars = [chr(c) for c in range(0x20, 0x7F)]
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    extra = [chr(c) for r in ((0x2010, 0x2027), (0x2030, 0x203B), (0x3000, 0x303F), (0xFF01, 0xFF5E)) for c in range(r[0], r[1] + 1)]
    return chars + extra + ["￥", "№", "•", "℃", "©"]


def font_folder(cache_dir: Path) -> Path:
    """Where the subset is kept: one for every community's work folder in the user's cache (it depends only on
    the system font, so ``--community all`` cuts it once, not once per community), else in ``cache_dir``."""
    shared = user_cache() / "work"
    if Path(cache_dir).absolute().parent == shared.absolute():
        return shared.parent / "fonts"
    return Path(cache_dir) / "fonts"


def letter_font(cache_dir: Path) -> LetterFont:
    """The subset font for letters, built on first use (about 10 s) and cached by the source font's hash.

    The cache folder may have been written by someone else (a CI cache): the subset is used only when a
    record signed with the user's cache key (``speed.signed``) gives its SHA-256 and the characters the
    system font covers, and it is read without following a link. Anything else is cut again; the files
    are written as new files renamed into place, never through a link planted under their names.
    """
    from generator.reading.files import read_data_file
    from generator.reading.load import cache_key

    source = find_system_font()
    digest = hashlib.sha256(source.path.read_bytes() + f"|{source.index}|{SUBSET_VERSION}".encode()).hexdigest()
    folder = font_folder(cache_dir)
    target = folder / f"cjk-{digest[:16]}.otf"
    record_name = f"cjk-{digest[:16]}.record"
    key = cache_key()
    record = read_signed(folder, record_name, key)
    subset_bytes, _problem = read_data_file(folder, target.name) if record is not None else (None, None)
    if record is not None and subset_bytes is not None:
        sha, _, chars = record.partition(b"\n")
        if sha.decode("ascii", "replace") == hashlib.sha256(subset_bytes).hexdigest():
            return LetterFont(source.family, target, sha.decode(), frozenset(chars.decode("utf-8", "surrogatepass")))
    subset_bytes, system_chars = _cut(source)
    real_folder(folder)
    write_new(target, subset_bytes)
    sha = hashlib.sha256(subset_bytes).hexdigest()
    if key is not None:
        write_signed(folder, record_name, key, sha.encode() + b"\n" + system_chars.encode("utf-8", "surrogatepass"))
    return LetterFont(source.family, target, sha, frozenset(system_chars))


def _cut(source: SystemFont) -> tuple[bytes, str]:
    """The GB 2312 subset of the system font, and every character the system font draws."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(source.path), fontNumber=source.index, recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = []
    options.notdef_outline = True
    options.desubroutinize = True
    options.drop_tables += ["GSUB", "GPOS", "BASE", "VORG", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in everyday_characters()])
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    full = TTFont(str(source.path), fontNumber=source.index, lazy=True)
    return out.getvalue(), "".join(sorted(chr(c) for c in full.getBestCmap()))


def missing_characters(text: str, font: LetterFont) -> list[str]:
    """Characters that would print as boxes (no font has them); whitespace and controls aside."""
    return sorted({ch for ch in text if not ch.isspace() and ch.isprintable() and ch not in font.covered})
