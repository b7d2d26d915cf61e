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


class CuijiaoError(Exception):
    """The message is Chinese and says what is wrong and how to fix it."""

    usage = False  # True: the command line asked for something unsafe or impossible (exit 2)


class UsageProblem(CuijiaoError):
    """The command line itself is the problem (exit 2)."""

    usage = True


_ERRNO_WORDS = {
    "EACCES": "没有权限", "EPERM": "没有权限", "EROFS": "是只读的（只读文件系统）", "ENOSPC": "磁盘已满",
    "EDQUOT": "超出磁盘配额", "ENAMETOOLONG": "名称太长", "ENOENT": "不存在", "ENOTDIR": "路径中有一段不是文件夹",
    "EISDIR": "是一个文件夹，而这里需要文件", "ELOOP": "经过的链接太多或是一个不能跟随的链接", "EEXIST": "已经存在",
    "ENOTEMPTY": "文件夹不是空的", "EBUSY": "正被占用", "EIO": "读写出错（磁盘或网络文件系统故障）",
    "EXDEV": "不在同一个磁盘上", "EMFILE": "打开的文件太多", "ETXTBSY": "正被占用",
}


def file_system_message(exc: OSError) -> str:
    """A failed file operation in Chinese: which file, what the system said, what to do; never a traceback."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    words = _ERRNO_WORDS.get(name, exc.strerror or "操作失败")
    where = "、".join(f"“{f}”" for f in (exc.filename, exc.filename2) if f is not None) or "文件"
    return (f"无法完成文件操作：{where}{words}（{name or '系统错误'}：{exc.strerror or exc}）。"
            "请检查路径是否正确、文件夹是否可写、磁盘是否还有空间；之前生成的输出没有被改动。")
