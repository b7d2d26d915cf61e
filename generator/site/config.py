"""The MkDocs configuration and theme a site build uses, generated into the work folder.

The work folder holds ``mkdocs.yml``, ``docs/`` and ``overrides/`` side by
side, so either engine (MkDocs with Material in-process, or Zensical run as
``zensical build -f WORK/mkdocs.yml``) builds the same thing from it:

- the configuration is the community's ``mkdocs.yml`` when it has one, else
  the project's, with ``site_name`` written in (the community's own when it
  set one, else "<小区> 催缴台账"), on one line, with no control character
  and ``& < > " '`` as their full-width forms: the themes escape it in some
  places and not in others, so only text without them reads the same in the
  title, the header and its tooltip;
- ``overrides/`` is Material's ``custom_dir`` merged file by file: the
  project's ``site_templates/overrides``, then the community's
  ``site_templates/overrides``, then the folder its own ``mkdocs.yml`` names
  as ``custom_dir``: a later file wins, like ``custom_dir`` over the theme;
- ``search.highlight`` is always removed (it would put the search words, an
  owner's name, into the page address), and with ``search=False`` the search
  plugin and features too (a site to publish carries no plaintext index).
"""
from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from generator.core.errors import CuijiaoError
from generator.core.inert import visible
from generator.core.paths import PROJECT_DIR
from generator.reading.files import inside, own_files, read_own

DEFAULT_SITE_NAME = "物业费催缴台账"
DEFAULT_CUSTOM_DIR = "site_templates/overrides"
OVERRIDES = "overrides"


class SiteBuildError(CuijiaoError, RuntimeError):
    """The site could not be built (a warning under --strict, a broken template or configuration); Chinese message."""


@dataclass(frozen=True, slots=True)
class SiteConfig:
    source: Path  # the mkdocs.yml it came from
    text: str  # the generated mkdocs.yml
    site_name: str  # as written into it (safe_text)
    overrides: tuple[Path, ...]  # theme override folders, lowest first


def config_file(root: Path) -> Path:
    own = root / "mkdocs.yml"
    return own if own.is_file() else PROJECT_DIR / "mkdocs.yml"


_FULL_WIDTH = str.maketrans({"&": "＆", "<": "＜", ">": "＞", '"': "＂", "'": "＇"})


def safe_text(text: str) -> str:
    """Text for a place the engines print escaped in some templates and raw in others (site_name): one line,
    control characters as U+FFFD, HTML's special characters as their full-width forms (＜＞＆＂＇)."""
    return " ".join(visible(text).split()).translate(_FULL_WIDTH)


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.preserve_quotes = True
    return yaml


def _own_path(source: Path, written: str, what: str) -> Path:
    """A path the configuration names, which must lie in the configuration's own folder with no link on the way."""
    path = source.parent / written
    if not inside(source.parent, path):
        raise SiteBuildError(f"网站配置 {source} 里 {what} 写的是“{visible(written)}”，它在小区文件夹以外或经过一个链接："
                             "为免把别处的文件带进网站，只能用小区文件夹里的文件夹和文件。")
    return path.absolute()


def _load(path: Path):
    """The configuration as data, refused if it holds a YAML tag: MkDocs reads its configuration with
    PyYAML's unsafe loader, where ``!!python/object/apply:os.system`` runs a command and ``!ENV``
    copies a secret of the environment into the site."""
    from ruamel.yaml.error import YAMLError

    try:
        text = read_own(path.parent, path).decode("utf-8")
        _refuse_tags(path, text)
        data = _yaml().load(text)
    except (YAMLError, UnicodeDecodeError) as exc:
        raise SiteBuildError(f"网站配置 {path} 不是有效的 YAML，请对照项目自带的 mkdocs.yml 改正：\n  {exc}") from None
    if not isinstance(data, dict):
        raise SiteBuildError(f"网站配置 {path} 应是“键: 值”的列表（像项目自带的 mkdocs.yml 那样）。")
    return data


def site_config(root: Path, community: str, search: bool = True) -> SiteConfig:
    source = config_file(root)
    data = _load(source)
    own = source.parent.resolve() != PROJECT_DIR.resolve()
    name = data.get("site_name")
    if not (own and isinstance(name, str) and name.strip() and name.strip() != DEFAULT_SITE_NAME):
        name = f"{community} 催缴台账"
    site_name = safe_text(str(name))
    data["site_name"] = site_name
    data["docs_dir"] = "docs"
    data["site_dir"] = "site"
    if "hooks" in data:
        raise SiteBuildError(f"网站配置 {source} 里有 hooks：MkDocs 会运行其中的 Python 文件，cuijiao 不运行数据文件夹里的代码。"
                             "请删除 hooks 这一项；要改页面样式，把模板放在 site_templates/overrides/ 里。")
    if "INHERIT" in data:
        data["INHERIT"] = str(_own_path(source, str(data["INHERIT"]), "INHERIT"))
    theme = data.get("theme")
    if isinstance(theme, str):
        from ruamel.yaml.comments import CommentedMap

        theme = CommentedMap(name=theme)
        data["theme"] = theme
    if not isinstance(theme, dict):
        raise SiteBuildError(f"网站配置 {source} 缺少 theme（主题）一项：请照项目自带的 mkdocs.yml 写 theme: name: material。")
    folders = [PROJECT_DIR / DEFAULT_CUSTOM_DIR]
    if (root / DEFAULT_CUSTOM_DIR).is_dir():
        folders.append(_own_path(root / "mkdocs.yml", DEFAULT_CUSTOM_DIR, "site_templates/overrides"))
    custom = theme.get("custom_dir")
    if custom:
        named = _own_path(source, str(custom), "theme.custom_dir")
        if named.is_dir():
            folders.append(named)
        elif str(custom).rstrip("/") != DEFAULT_CUSTOM_DIR:
            raise SiteBuildError(
                f"网站配置 {source} 里 theme.custom_dir 写的是“{custom}”，但没有这个文件夹（{named}）。"
                f"请改成已有的文件夹，或删掉这一行：页面样式的覆盖文件放在 {DEFAULT_CUSTOM_DIR}/ 里即可。"
            )
    theme["custom_dir"] = OVERRIDES
    features = theme.get("features")
    if isinstance(features, list):
        keep = [f for f in features if f != "search.highlight" and (search or not str(f).startswith("search."))]
        features[:] = keep
    if not search and isinstance(data.get("plugins"), list):
        plugins = data["plugins"]
        plugins[:] = [p for p in plugins if not (p == "search" or (isinstance(p, dict) and "search" in p))]
    buffer = io.StringIO()
    buffer.write("# Generated by cuijiao from " + source.as_posix() + "; edit that file, not this one.\n")
    _yaml().dump(data, buffer)
    unique: list[Path] = []
    for folder in folders:
        if folder.is_dir() and folder.resolve() not in [u.resolve() for u in unique]:
            unique.append(folder)
    return SiteConfig(source, buffer.getvalue(), site_name, tuple(unique))


def _refuse_tags(path: Path, text: str) -> None:
    import yaml

    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            tag = getattr(event, "tag", None)
            if tag is not None:
                raise SiteBuildError(
                    f"网站配置 {path} 第 {event.start_mark.line + 1} 行用了 YAML 标签“{visible(tag)}”：MkDocs 读到这种标签时会执行"
                    "Python 代码或读取环境变量，cuijiao 不运行数据文件夹里的代码。请删除这个标签，直接写值。")
    except yaml.YAMLError:
        return  # not valid YAML: ruamel says where


def override_files(folders: tuple[Path, ...]) -> dict[str, bytes]:
    """The theme overrides merged file by file: a file of a later folder replaces the same path of an earlier one."""
    files: dict[str, bytes] = {}
    for folder in folders:
        for path in own_files(folder):
            files[path.relative_to(folder).as_posix()] = read_own(folder, path)
    return files


@contextmanager
def source_date(day: date) -> Iterator[None]:
    """MkDocs stamps the sitemap with the build date: make it ``day`` (SOURCE_DATE_EPOCH), so the bytes depend
    only on the data and the as-of day; the variable is put back as it was afterwards."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()))
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def quiet_search_segmenter() -> None:
    """The search plugin's Chinese word segmenter (jieba) logs its dictionary loading at INFO: keep builds quiet."""
    logging.getLogger("jieba").setLevel(logging.WARNING)
    try:
        import jieba

        jieba.setLogLevel(logging.WARNING)
    except ImportError:  # pragma: no cover - jieba is a declared dependency
        pass
