"""Attacks on the editing helpers (issue 12, item 4 and "edits are atomic and serialised").

Each test builds its community in ``tmp_path`` and runs the real ``cuijiao`` in a fresh
interpreter: edits at the same time are all saved, comments of any layout survive, and a
hostile or broken folder gets a Chinese message and exit 1 with nothing written anywhere.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import DEMO_AS_OF, PROJECT, cuijiao

BASE = PROJECT / "tests" / "broken" / "_base"
LOCK = "ledger/.cuijiao-edit.lock"
PAY = ("pay", "1-1-101", "50", "--date", "2026-11-20", "--method", "cash")
OLD = '{unit: 1-1-101, date: 2026-03-14, amount: "100.00", method: wechat, receipt: R1}'
NEW = '{unit: 1-1-101, date: 2026-11-20, amount: "50.00", method: cash}'
fcntl = pytest.importorskip("fcntl")


def base(tmp_path: Path) -> Path:
    """The clean one-unit community (its payments in ledger/payments.yaml) in ``tmp_path/c``."""
    root = tmp_path / "c"
    shutil.copytree(BASE, root)
    return root


def tree(folder: Path) -> dict[str, object]:
    """Everything under ``folder`` as it is on disk: file bytes, link targets, folders and FIFOs (links not followed)."""
    found: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            rel = path.relative_to(folder).as_posix()
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                found[rel] = ("link", os.readlink(path))
            elif stat.S_ISREG(mode):
                found[rel] = path.read_bytes()
            else:
                found[rel] = stat.S_IFMT(mode)
    return found


def refused(result: subprocess.CompletedProcess, *words: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert "已写入" not in output and "已新建" not in output
    for word in words:
        assert word in output, output


def pay_refused(tmp_path: Path, *words: str, file: str | None = "ledger/payments/2026-11.yaml", timeout: float = 600) -> None:
    """``pay`` (into ``file``) in the community at ``tmp_path/c`` exits 1 with ``words``, and nothing under ``tmp_path`` changed."""
    before = tree(tmp_path)
    refused(cuijiao(*PAY, *(("--file", file) if file else ()), root=tmp_path / "c", as_of=DEMO_AS_OF, timeout=timeout),
            *words)
    assert tree(tmp_path) == before


# -- edits at the same time ---------------------------------------------------------------------

def test_eight_pay_commands_at_once_save_eight_payments_each_reporting_its_own(tmp_path):
    """Issue 12, 4: eight ``pay`` at once on one month file all reported success and one was saved."""
    root = tmp_path / "demo"
    for folder in ("owners", "ledger"):
        shutil.copytree(PROJECT / folder, root / folder)
    month = root / "ledger/payments/2026-11.yaml"
    before = month.read_text(encoding="utf-8")
    amounts = {f"LOCK-{i}": f"1{i}.00" for i in range(1, 9)}  # 11.00 ... 18.00
    command = [sys.executable, "-m", "generator", "--root", str(root), "--as-of", str(DEMO_AS_OF)]
    runs = [subprocess.Popen([*command, "pay", "1-1-101", amount, "--date", "2026-11-20", "--method", "cash",
                              "--receipt", receipt], cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, encoding="utf-8")
            for receipt, amount in amounts.items()]
    outputs = {receipt: run.communicate(timeout=300) for receipt, run in zip(amounts, runs, strict=True)}
    assert [run.returncode for run in runs] == [0] * 8, [outputs[r] for r, run in zip(amounts, runs, strict=True) if run.returncode]
    after = month.read_text(encoding="utf-8")
    assert after.startswith(before)  # the old entries and the header are untouched
    saved = re.findall(r'amount: "(\d+\.\d\d)", method: cash, receipt: (LOCK-\d)', after[len(before):])
    assert sorted(receipt for _, receipt in saved) == sorted(amounts)
    # in the order they were saved, each command's balance counts its own payment and every one before it
    balance = {receipt: re.search(r"欠费 ([\d,]+\.\d\d) 元", out).group(1).replace(",", "")
               for receipt, (out, _) in outputs.items()}
    first_amount, first = saved[0]
    start = float(balance[first]) + float(first_amount)
    paid = 0.0
    for amount, receipt in saved:
        paid += float(amount)
        assert balance[receipt] == f"{start - paid:.2f}", (receipt, outputs[receipt])
    check = cuijiao("check", root=root, as_of=DEMO_AS_OF)
    assert check.returncode == 0 and "检查通过" in check.stdout, check.stdout + check.stderr
    assert not [p.name for p in month.parent.iterdir() if p.name.endswith(".tmp")]
    assert not (root / LOCK).exists()  # the last one out removed it: nothing new for git status


def opened(pid: int, path: Path, seconds: float = 120) -> bool:
    """Whether process ``pid`` comes to hold ``path`` open within ``seconds`` (Linux: /proc/PID/fd)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if any(os.readlink(fd) == str(path) for fd in Path(f"/proc/{pid}/fd").iterdir()):
                return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see the waiting process's files")
def test_an_edit_waits_for_the_one_holding_the_lock_and_then_saves(tmp_path):
    """The holder removes the lock file before letting go (as every edit does): the waiter, holding
    a removed file, locks a new one and saves; no lock file is left."""
    root = base(tmp_path)
    (root / LOCK).touch()
    with open(root / LOCK, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        command = [sys.executable, "-m", "generator", "--root", str(root), "--as-of", str(DEMO_AS_OF), *PAY]
        waiting = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   encoding="utf-8")
        assert opened(waiting.pid, root / LOCK)
        time.sleep(0.5)
        assert waiting.poll() is None  # still waiting, nothing written
        assert NEW not in (root / "ledger/payments.yaml").read_text(encoding="utf-8")
        (root / LOCK).unlink()
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, out + err
    assert (root / "ledger/payments.yaml").read_text(encoding="utf-8").endswith(f"  - {NEW}\n")
    assert not (root / LOCK).exists()


# -- leading comments, whatever the file's style ---------------------------------------------------

@pytest.mark.parametrize(("before", "after"), [
    ("# 2026年缴费记录\n# 物业录入\n\npayments:\n  - " + OLD + "\n",
     "# 2026年缴费记录\n# 物业录入\n\npayments:\n  - " + OLD + "\n  - " + NEW + "\n"),
    ("\ufeff# 头\npayments:\n  - " + OLD + "\n", "\ufeff# 头\npayments:\n  - " + OLD + "\n  - " + NEW + "\n"),
    ("# 头\r\n# 二\r\npayments:\r\n  - " + OLD + "\r\n", "# 头\r\n# 二\r\npayments:\r\n  - " + OLD + "\r\n  - " + NEW + "\r\n"),
    ("# 头\rpayments:\r  - " + OLD + "\r", "# 头\rpayments:\r  - " + OLD + "\r  - " + NEW + "\r"),
    ("# 头\n# 还没有记录\n", "# 头\n# 还没有记录\npayments:\n  - " + NEW + "\n"),
    ("\ufeff# 只有注释\r\n", "\ufeff# 只有注释\r\npayments:\r\n  - " + NEW + "\r\n"),
    ("# 头\npayments: [" + OLD + "]   # 一行\n", "# 头\npayments: [" + OLD + ", " + NEW + "]   # 一行\n"),
    ("\ufeff# 头\r\npayments: [\r\n  " + OLD + "\r\n]\r\n", "\ufeff# 头\r\npayments: [\r\n  " + OLD + ", " + NEW + "\r\n]\r\n"),
    ("# 头\n{payments: [" + OLD + "]}\n", "# 头\n{payments: [" + OLD + ", " + NEW + "]}\n"),
], ids=["comments-then-list", "bom", "crlf", "cr-only", "only-comments", "bom-crlf-only-comments", "flow-one-line",
        "bom-crlf-flow-lines", "flow-mapping"])
def test_pay_keeps_the_leading_comments_and_the_entries_byte_for_byte(tmp_path, before, after):
    root = base(tmp_path)
    path = root / "ledger/payments.yaml"
    path.write_bytes(before.encode("utf-8"))
    result = cuijiao(*PAY, root=root, as_of=DEMO_AS_OF)
    assert result.returncode == 0, result.stdout + result.stderr
    assert path.read_bytes().decode("utf-8") == after
    outstanding = "2,098.00" if OLD not in before else "1,998.00"  # 2,148.00 charged to date, less what is paid
    assert f"欠费 {outstanding} 元" in result.stdout


# -- never outside ledger/ and owners/ -----------------------------------------------------------------

@pytest.mark.parametrize(("file", "words"), [
    ("owners/1-1-101.yaml", "不是账目文件"),
    ("owners/x.yaml", "不是账目文件"),
    ("ledger/policy.yaml", "不能是 policy.yaml"),
    ("ledger/.hidden.yaml", "不会被读取"),
    ("ledger/.git/payments.yaml", "不会被读取"),
    ("ledger/" + "长" * 100 + ".yaml", "文件名太长"),
])
def test_pay_refuses_a_file_that_is_not_an_entries_file(tmp_path, file, words):
    base(tmp_path)
    pay_refused(tmp_path, words, file=file)


def test_pay_refuses_a_payments_folder_that_is_a_link_inside_the_community(tmp_path):
    root = base(tmp_path)
    (root / "ledger/payments").symlink_to("../owners", target_is_directory=True)
    pay_refused(tmp_path, "ledger/payments 不是文件夹（是符号链接）")


def test_pay_refuses_a_payments_folder_linking_out_of_the_community(tmp_path):
    root = base(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    (root / "ledger/payments").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    pay_refused(tmp_path, "会写到小区文件夹以外")


def test_pay_refuses_a_ledger_folder_that_is_a_link(tmp_path):
    root = base(tmp_path)
    (root / "ledger").rename(tmp_path / "real-ledger")
    (root / "ledger").symlink_to(tmp_path / "real-ledger", target_is_directory=True)
    pay_refused(tmp_path, "ledger 不是文件夹（是符号链接）", file=None)
    assert not (tmp_path / "real-ledger/.cuijiao-edit.lock").exists()


def test_log_never_reads_or_writes_a_unit_file_outside_owners(tmp_path):
    root = base(tmp_path)
    (tmp_path / "x.yaml").write_text((root / "owners/1-1-101.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    before = tree(tmp_path)
    result = cuijiao("log", "../../x", "--date", "2026-11-20", "--channel", "phone", "--outcome", "reached",
                     root=root, as_of=DEMO_AS_OF)
    refused(result, "找不到房号 ../../x")
    assert tree(tmp_path) == before


# -- what stands at the target: never followed, never blocks ---------------------------------------------

def test_pay_refuses_a_target_that_is_a_link_to_a_file_outside(tmp_path):
    root = base(tmp_path)
    victim = tmp_path / "victim.yaml"
    victim.write_text("payments:\n", encoding="utf-8")
    (root / "ledger/payments.yaml").unlink()
    (root / "ledger/payments.yaml").symlink_to(victim)
    pay_refused(tmp_path, "会写到小区文件夹以外", file=None)


def test_pay_refuses_a_target_that_is_a_link_to_a_file_inside(tmp_path):
    root = base(tmp_path)
    (root / "ledger/payments.yaml").rename(root / "ledger/real.yaml")
    (root / "ledger/payments.yaml").symlink_to("real.yaml")
    pay_refused(tmp_path, "ledger/payments.yaml 不是普通文件（是符号链接）", file=None)


def test_pay_refuses_a_target_that_is_a_folder(tmp_path):
    root = base(tmp_path)
    (root / "ledger/payments").mkdir()
    (root / "ledger/payments/2026-11.yaml").mkdir()
    pay_refused(tmp_path, "ledger/payments/2026-11.yaml 不是普通文件（是文件夹）")


def test_pay_refuses_a_fifo_at_the_target_without_blocking(tmp_path):
    root = base(tmp_path)
    (root / "ledger/payments").mkdir()
    os.mkfifo(root / "ledger/payments/2026-11.yaml")
    pay_refused(tmp_path, "不是普通文件（是命名管道）", timeout=60)


def test_pay_refuses_a_target_whose_folder_is_a_regular_file(tmp_path):
    """The failing write root can provoke too: a step of the path is a file, not a folder."""
    root = base(tmp_path)
    (root / "ledger/payments").write_text("不是文件夹\n", encoding="utf-8")
    pay_refused(tmp_path, "ledger/payments 不是文件夹（是普通文件）")


@pytest.mark.skipif(os.name == "posix" and os.geteuid() == 0, reason="root writes into read-only folders")
def test_pay_into_a_read_only_folder_is_a_chinese_error_and_leaves_the_file(tmp_path):
    root = base(tmp_path)
    (root / "ledger/payments").mkdir()
    (root / "ledger/payments/2026-11.yaml").write_text("# 11月\npayments:\n", encoding="utf-8")
    (root / "ledger/payments").chmod(0o555)
    try:
        pay_refused(tmp_path, "无法写入 ledger/payments/2026-11.yaml：没有权限", "这个文件保持原样")
    finally:
        (root / "ledger/payments").chmod(0o755)


# -- the lock file itself ---------------------------------------------------------------------------------

def test_a_planted_lock_link_is_refused_and_never_written_through(tmp_path):
    root = base(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("别动我\n", encoding="utf-8")
    (root / LOCK).symlink_to(victim)
    pay_refused(tmp_path, f"{LOCK} 不是普通文件（是符号链接）", file=None)
    assert (root / LOCK).is_symlink() and victim.read_text(encoding="utf-8") == "别动我\n"
    (root / LOCK).unlink()
    (root / LOCK).symlink_to(tmp_path / "made.txt")  # a dangling link is not followed to make a file either
    pay_refused(tmp_path, f"{LOCK} 不是普通文件（是符号链接）", file=None)
    assert not (tmp_path / "made.txt").exists()


def test_a_fifo_as_lock_file_is_refused_without_blocking(tmp_path):
    root = base(tmp_path)
    os.mkfifo(root / LOCK)
    pay_refused(tmp_path, f"{LOCK} 不是普通文件（是命名管道）", file=None, timeout=60)
