"""One base class for every error the user is told about in Chinese (never with a traceback).

Problems *in the data* are not exceptions: they are ``Diagnostic`` records
(core/diagnostics.py), collected and reported together. These exceptions
are for what stops a command: an output folder that would endanger the
data, a missing CJK font, a letter that cannot be made, a Git revision that
does not exist, an edit that cannot be written. The CLI catches
``CuijiaoError`` once; ``usage`` says whether the user called the command
wrongly (exit 2, with a pointer to ``--help``) or the work failed (exit 1).
"""
from __future__ import annotations

import errno


class CuijiaoError(Exception):
    """The message is Chinese and says what is wrong and how to fix it."""

    usage = False  # True: the command line asked for something unsafe or impossible (exit 2)


class UsageProblem(CuijiaoError):
    """The command line itself is the problem (exit 2)."""

    usage = True


_REASONS = {
    "EACCES": "没有权限", "EPERM": "没有权限", "EROFS": "所在的磁盘是只读的", "ENOSPC": "磁盘已满",
    "EDQUOT": "超出了磁盘配额", "ENAMETOOLONG": "文件名太长", "ENOENT": "找不到", "ENOTDIR": "路径中有一段不是文件夹",
    "EISDIR": "那是一个文件夹，而这里需要文件", "ELOOP": "路径经过了符号链接", "EEXIST": "已经存在",
    "ENOTEMPTY": "文件夹不是空的", "EBUSY": "正被占用", "ETXTBSY": "正被占用", "EIO": "磁盘读写出错",
    "EXDEV": "不在同一个磁盘上", "EMFILE": "打开的文件太多",
}


def os_reason(exc: OSError) -> str:
    """A file-system error in Chinese words: 没有权限、磁盘已满 ..., else the system's own text."""
    return _REASONS.get(errno.errorcode.get(exc.errno or 0, "")) or exc.strerror or exc.__class__.__name__


def file_system_message(exc: OSError) -> str:
    """A failed file operation that stopped a command, in Chinese: which file, why, what to do; never a traceback."""
    where = "、".join(f"“{f}”" for f in (exc.filename, exc.filename2) if f is not None)
    return (f"无法完成文件操作：{where + '：' if where else ''}{os_reason(exc)}（{exc.strerror or exc}）。"
            "请检查路径是否正确、文件夹是否可写、磁盘是否还有空间；之前生成的输出没有被改动。")
