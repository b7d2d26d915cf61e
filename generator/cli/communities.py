"""Many communities in one repository: ``--community NAME`` (or ``all``) and ``cuijiao communities``.

A repository of many keeps each community in ``communities/<name>/`` (a full
community folder) and may share a policy in ``communities/_shared/policy.yaml``
(``reading/shared.py``). ``--community all`` runs the command once per
community, one after the other, each with its own output folder
(``OUT/<name>/``); the exit code is the worst of them.
"""
from __future__ import annotations

import contextlib
import io
import json
import re
import sys
from pathlib import Path

import click

from generator.cli.chinese import CuijiaoCommand
from generator.reading.files import COMMUNITIES_FOLDER, SHARED_FOLDER, community_names
from generator.workflow.diff import GitError, changed_paths

ALL = "all"
NAME = re.compile(r"[^\W_][\w-]{0,63}")  # a folder name that is safe as an artifact name and in a URL path
# Changes outside communities/ that change every community's outputs: the tool itself and the shared policy.
EVERY_COMMUNITY = ("generator/", "site_templates/", "letters/", "docs/guide/", "pyproject.toml", "mkdocs.yml",
                   f"{COMMUNITIES_FOLDER}/{SHARED_FOLDER}/")
# Commands that only read: the ones --community all may repeat. Editing one community at a time is deliberate.
REPEATABLE = ("check", "report", "summary", "site", "build", "letters", "receipts", "diff")


def community_root(repo: Path, name: str) -> Path:
    """``repo/communities/<name>``, or a Chinese usage error that lists the communities there are."""
    names = community_names(repo)
    if name not in names:
        known = "、".join(names) if names else f"（{repo / COMMUNITIES_FOLDER} 下没有小区文件夹）"
        raise click.BadParameter(f"没有名为“{name}”的小区；现有：{known}", param_hint="--community")
    return repo / COMMUNITIES_FOLDER / name


def _community_arg(args: list[str]) -> tuple[int, int] | None:
    """(index of the option, index of its value) of ``--community all`` in ``args``, if written."""
    for index, word in enumerate(args):
        if word == "--":
            return None
        if word == "--community" and index + 1 < len(args) and args[index + 1] == ALL:
            return index, index + 1
        if word == f"--community={ALL}":
            return index, index
    return None


def each_community(group: click.Group, args: list[str]) -> list[tuple[str, list[str]]] | None:
    """For ``--community all``: (name, the same arguments naming that community) for each community; else None."""
    found = _community_arg(args)
    if found is None:
        return None
    start, end = found
    rest = args[:start] + args[end + 1:]
    repo = Path(_option_value(rest, "--root") or ".")
    command = next((word for index, word in enumerate(rest) if word in group.commands
                    and (index == 0 or rest[index - 1] not in _TAKES_VALUE)), None)
    if command is not None and command not in REPEATABLE:
        raise click.UsageError(f"--community all 只能用于 {'、'.join(REPEATABLE)}；{command} 会改动数据，请一次指定一个小区")
    names = community_names(repo)
    if not names:
        raise click.UsageError(f"{repo / COMMUNITIES_FOLDER} 下没有小区文件夹（每个小区一个文件夹，含 ledger/ 和 owners/）")
    return [(name, rest[:start] + ["--community", name, "--out-by-community"] + rest[start:]) for name in names]


_TAKES_VALUE = ("--root", "--as-of", "--community", "--out")


def _option_value(args: list[str], option: str) -> str | None:
    for index, word in enumerate(args):
        if word == option and index + 1 < len(args):
            return args[index + 1]
        if word.startswith(option + "="):
            return word.split("=", 1)[1]
    return None


def run_each(group: click.Group, runs: list[tuple[str, list[str]]], prog_name: str | None) -> int:
    """Run the command once per community (a heading on stderr before each); the worst exit code.

    A command that prints one JSON document (``report --format json``, ``summary`` without ``--out``) prints,
    for all of them, one JSON object: each community's document under its name (null where it failed), so
    that a program reads the output with one ``json.loads``. Other output goes out as each run makes it.
    """
    worst = 0
    documents: list[tuple[str, str | None]] = []
    for name, args in runs:
        click.echo(f"== 小区 {name} ==", err=True)
        if _prints_json(group, args):
            with contextlib.redirect_stdout(io.StringIO()) as captured:
                code = _run_one(group, args, prog_name)
            documents.append((name, captured.getvalue()))
        else:
            code = _run_one(group, args, prog_name)
        worst = max(worst, code)
    if documents:
        sys.stdout.write(_one_object(documents))
    return worst


def _run_one(group: click.Group, args: list[str], prog_name: str | None) -> int:
    """One community's run and its exit code: a command that fails leaves with SystemExit, which must not end
    the runs of the communities after it."""
    try:
        code = group.main(args, prog_name, standalone_mode=False)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if isinstance(exc.code, str):
            click.echo(exc.code, err=True)
    return code if isinstance(code, int) and not isinstance(code, bool) else 0


def _prints_json(group: click.Group, args: list[str]) -> bool:
    command = next((word for index, word in enumerate(args) if word in group.commands
                    and (index == 0 or args[index - 1] not in _TAKES_VALUE)), None)
    if command == "report":
        return _option_value(args, "--format") == "json"
    return command == "summary" and _option_value(args, "--out") is None


def _one_object(documents: list[tuple[str, str | None]]) -> str:
    """``{"name": document, ...}`` with each document as its command printed it (a run that printed no JSON: null)."""
    parts = []
    for name, text in documents:
        text = (text or "").strip()
        try:
            json.loads(text)
        except ValueError:
            text = "null"
        parts.append(f"  {json.dumps(name, ensure_ascii=False)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def changed_communities(repo: Path, base: str, names: list[str]) -> list[str]:
    """The communities a change since ``base`` (its merge base with HEAD) touches; all of them when the tool,
    the shared policy or the project's content changed."""
    try:
        paths = changed_paths(repo, base)
    except GitError as exc:
        raise click.ClickException(str(exc)) from None
    touched: set[str] = set()
    for path in paths:
        if path.startswith(EVERY_COMMUNITY) or path.startswith(".github/workflows/"):
            return names
        parts = path.split("/")
        if parts[0] == COMMUNITIES_FOLDER and len(parts) > 2 and parts[1] in names:
            touched.add(parts[1])
    return [name for name in names if name in touched]


@click.command("communities", cls=CuijiaoCommand)
@click.option("--changed", "base", metavar="基准版本", help="只列出相对这个版本（与 HEAD 的共同祖先）改动过的小区")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="text：每行一个（默认）；json：CI 的 matrix 用的 JSON 列表")
@click.pass_obj
def command(obj, base: str | None, fmt: str) -> None:
    """列出仓库里的小区（communities/ 下的每个文件夹）；只有一个小区的仓库列出它自己（“.”）。

    \b
    例：cuijiao communities                      每行一个小区名
        cuijiao communities --changed origin/main --format json
                                                 改动涉及的小区（CI 用）
    """
    repo = obj.repo
    names = community_names(repo)
    if names:
        picked = names if base is None else changed_communities(repo, base, names)
        rows = [{"name": name, "root": f"{COMMUNITIES_FOLDER}/{name}"} for name in picked]
        bad = [name for name in picked if not NAME.fullmatch(name)]
        if bad:
            raise click.ClickException(f"小区文件夹名“{bad[0]}”不能用：只能用字母、汉字、数字、“-”和“_”，且不以“_”开头，最长 64 个字符")
    else:
        rows = [{"name": "community", "root": "."}]
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + "\n")
    else:
        for row in rows:
            click.echo(row["root"] if row["root"] == "." else row["name"])
