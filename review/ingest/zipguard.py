"""The zip guard shared by the Word reader and batch archives: a zip's members are
counted and sized from its directory before any is read (zip bombs, huge archives)."""
from __future__ import annotations

from dataclasses import dataclass

from .base import mb


@dataclass(frozen=True)
class ZipLimits:
    max_members: int
    max_total: int                   # sum of declared uncompressed sizes
    max_member: int                  # one member, uncompressed
    max_ratio: int = 200             # uncompressed / compressed
    ratio_min_size: int = 0          # smaller members are never judged by ratio


DOCX_LIMITS = ZipLimits(max_members=2000, max_total=200 * 1024 * 1024, max_member=50 * 1024 * 1024,
                        ratio_min_size=1024 * 1024)     # tiny highly-compressible parts are harmless
ARCHIVE_LIMITS = ZipLimits(max_members=2000, max_total=500 * 1024 * 1024, max_member=20 * 1024 * 1024)


def archive_problem(infos, limits: ZipLimits) -> tuple[str, str] | None:
    """(zh, en) when the archive as a whole is too large, else None."""
    if len(infos) > limits.max_members:
        return f"内部文件 {len(infos)} 个", f"{len(infos)} members"
    total = sum(i.file_size for i in infos)
    if total > limits.max_total:
        return f"解压后 {mb(total)}", f"{mb(total)} uncompressed"
    return None


def member_problem(info, limits: ZipLimits) -> tuple[str, str] | None:
    """(zh, en) when one member is too large or zip-bomb shaped, else None."""
    if info.file_size > limits.max_member:
        return f"{info.filename} 解压后 {mb(info.file_size)}", f"{info.filename} is {mb(info.file_size)}"
    if info.file_size > limits.ratio_min_size and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        return "压缩比异常", f"compression ratio > {limits.max_ratio} in {info.filename}"
    return None
