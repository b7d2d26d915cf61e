"""The GitHub Actions workflow: valid for actionlint, pinned, private by default."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.diagnostics import Pos, error

WORKFLOWS = Path(__file__).resolve().parent.parent / ".github" / "workflows"


def workflow_files() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml"))


def test_workflows_pass_actionlint():
    # the test extras install it beside the interpreter, which need not be on PATH
    actionlint = shutil.which("actionlint") or shutil.which("actionlint", path=str(Path(sys.executable).parent))
    assert actionlint, "actionlint is installed with the test extras (pip install -e '.[test]')"
    result = subprocess.run([actionlint, "-no-color", *map(str, workflow_files())], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_full_commit(path):
    uses = re.findall(r"uses:\s*(\S+)", path.read_text(encoding="utf-8"))
    assert uses
    for ref in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+(/[\w.-]+)*@[0-9a-f]{40}", ref), ref


def test_artifacts_with_personal_data_are_kept_briefly():
    for path in workflow_files():
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        for job in workflow["jobs"].values():
            for step in job.get("steps", []):
                if "upload-artifact@" in step.get("uses", ""):
                    assert int(step["with"]["retention-days"]) <= 7


def test_publishing_is_opt_in_and_encrypted():
    workflow = yaml.safe_load((WORKFLOWS / "collection-desk.yml").read_text(encoding="utf-8"))
    publish = workflow["jobs"]["publish-encrypted"]
    assert "vars.PUBLISH_SITE == 'true'" in publish["if"]
    text = yaml.safe_dump(publish, allow_unicode=True)
    assert "staticrypt" in text and "SITE_PASSWORD" in text
    others = [name for name, job in workflow["jobs"].items() if name != "publish-encrypted"]
    for name in others:
        assert "pages" not in yaml.safe_dump(workflow["jobs"][name].get("permissions", {}))


def test_check_errors_become_annotations_on_their_line():
    problem = error(Pos("owners/1-1-101.yaml", 6, 1), "有未知的键“amout”，金额: 1,200", "是不是“amount”？")
    assert problem.github_annotation() == (
        "::error file=owners/1-1-101.yaml,line=6,col=1,title=催缴台账数据错误::"
        "有未知的键“amout”，金额: 1,200（是不是“amount”？）"
    )
    assert error(Pos("a,b:c.yaml", 1, 1), "50%\nx").github_annotation().startswith("::error file=a%2Cb%3Ac.yaml,")
    assert "50%25%0Ax" in error(Pos("a.yaml", 1, 1), "50%\nx").github_annotation()
