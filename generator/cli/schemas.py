"""``cuijiao schemas``: the editors' JSON Schemas (``reading/editor_schemas``) written or checked."""
from __future__ import annotations

from pathlib import Path

import click

from generator.cli.chinese import CuijiaoCommand
from generator.reading.editor_schemas import FILES, file_name, render, stale
from generator.workflow.edit import Edit, write

FILE_NAMES = tuple(file_name(kind) for kind in FILES)


# -- the command ------------------------------------------------------------------------

@click.command("schemas", cls=CuijiaoCommand)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="输出文件夹，默认 小区文件夹/schemas")
@click.option("--check", "check_only", is_flag=True, help="只检查是否最新，不写文件（过期则退出码 1）")
@click.pass_obj
def command(obj, out: Path | None, check_only: bool) -> None:
    """生成编辑器用的 JSON Schema（schemas/*.schema.json），与 cuijiao check 的规则一致。"""
    folder = out or obj.root / "schemas"
    if check_only:
        old = stale(folder)
        if old:
            click.echo(f"{folder} 里的 {'、'.join(old)} 不是最新的，请运行 cuijiao schemas 重新生成。", err=True)
            raise SystemExit(1)
        click.echo(f"{folder} 里的 JSON Schema 都是最新的。")
        return
    # the community's own writer: each step a real folder, a new file renamed into place, never through a link
    # (a pull request may have put one where the folder or a schema goes): a Chinese error names it
    root, prefix = (obj.root, "schemas/") if out is None else (out, "")
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    # the community's own schemas folder must be a real folder; an --out folder is the user's to choose
    for step in ((folder,) if out is None else ()) + tuple(folder / name for name in FILE_NAMES):
        if step.is_symlink() or (step != folder and step.exists() and not step.is_file()):
            raise click.ClickException(f"{step} 是符号链接或不是普通文件，cuijiao 不会经过它写入，以免改动别处的文件。"
                                       "请删除它后再运行 cuijiao schemas")
    written = stale(folder)
    write(root, [Edit(prefix + name, render(name.removesuffix(".schema.json")), created=False) for name in written])
    click.echo(f"已更新 {folder}：{'、'.join(written)}" if written else f"{folder} 里的 JSON Schema 已是最新。")
