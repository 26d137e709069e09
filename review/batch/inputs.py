"""A batch's inputs: files, folders (recursively) and .zip archives (one nested level),
each ending as an Input to review or as a refusal with its reason.

- Folders: links are not followed (E135), other non-regular files refused (E101), types
  we do not read refused (E112); hidden files (.x, ~$x, __MACOSX) and this program's own
  outputs (and the output folder) are skipped and counted.
- Archives: checked for count, sizes and ratio before any member is read, read into
  memory and never extracted; a zip inside a zip is opened with the same guards and the
  same allowance, one inside that is refused (E134).
"""
from __future__ import annotations

import io
import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import ReviewError, make_error
from ..ingest.zipguard import ARCHIVE_LIMITS, archive_problem, member_problem
from .names import distinct, readable, safe_name, shown
from .outputs import is_our_output

SUPPORTED = {".docx", ".txt", ".md", ".pdf", ".doc", ".wps"}   # .doc/.wps: reviewed to a clear refusal
HIDDEN_PREFIXES = (".", "~$", "__MACOSX")


@dataclass
class Input:
    name: str                      # display name: the file's own name (no folders), distinct
    source: str                    # where it came from (path, or archive:member), printable
    data: bytes | None = None      # read from an archive or uploaded
    path: Path | None = None       # a file on disk
    in_folder: bool = False        # found in a folder: opened without following a link


@dataclass
class Upload:
    """A file given as bytes (the app's uploads): no temporary file, no name length limit."""
    name: str
    data: bytes


@dataclass
class Collected:
    inputs: list[Input] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    hidden: int = 0                # hidden files and folders skipped
    own_outputs: int = 0           # our own outputs (and output folders) skipped

    def refuse(self, name: str, source: str, err: ReviewError) -> None:
        self.errors.append(input_error(name, source, err))


@dataclass
class Allowance:
    """What one top-level archive may still unpack into memory, nested members included."""
    members: int = ARCHIVE_LIMITS.max_members
    bytes: int = ARCHIVE_LIMITS.max_total


def input_error(name: str, source: str, err: ReviewError) -> dict:
    return {"file": name, "source": source, "code": err.code, "message": str(err)}


def hidden(name: str) -> bool:
    return name.startswith(HIDDEN_PREFIXES) and name not in (".", "..")


def ext_detail(name: str) -> tuple[str, str]:
    ext = os.path.splitext(name)[1].lower()
    return (ext, ext) if ext else ("无扩展名", "no extension")


# ---- the walk -------------------------------------------------------------------------

def collect(paths: list, *, skip_dirs: list = ()) -> Collected:
    """Inputs from files, folders, archives and Uploads, in the order given; folders in
    `skip_dirs` (the output folder) are not entered."""
    c = Collected()
    skip = {_ident(p) for p in skip_dirs} - {None}
    for raw in paths:
        if isinstance(raw, Upload):
            _upload(raw, c)
            continue
        p = Path(raw)
        if p.is_dir():
            if _ident(p) in skip:
                c.own_outputs += 1
            else:
                _folder(p, c, skip)
        elif p.is_file():
            name = safe_name(p.name)
            if p.suffix.lower() == ".zip":
                _archive(name, shown(p), p, c, Allowance())
            else:                               # named by the user: the reader judges its type
                c.inputs.append(Input(name, shown(p), path=p))
        else:
            c.refuse(safe_name(p.name or str(raw)), shown(raw), make_error("E101", shown(raw), shown(raw)))
    for inp, name in zip(c.inputs, distinct([i.name for i in c.inputs])):
        inp.name = name
    return c


def _ident(p) -> tuple[int, int] | None:
    try:
        st = os.stat(p)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _upload(up: Upload, c: Collected) -> None:
    name = safe_name(up.name)
    if name.lower().endswith(".zip"):
        _archive(name, shown(up.name), io.BytesIO(up.data), c, Allowance())
    else:
        c.inputs.append(Input(name, shown(up.name), data=up.data))


def _folder(folder: Path, c: Collected, skip: set) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        c.refuse(safe_name(folder.name), shown(folder), make_error("E101", shown(folder), type(e).__name__))
        return
    for e in entries:
        path, name, where = Path(e.path), safe_name(e.name), shown(e.path)
        if hidden(readable(e.name)):
            c.hidden += 1
        elif e.is_symlink():
            c.refuse(name, where, make_error("E135", where, where))
        elif e.is_dir(follow_symlinks=False):
            if _ident(path) in skip:
                c.own_outputs += 1
            else:
                _folder(path, c, skip)
        elif not e.is_file(follow_symlinks=False):
            c.refuse(name, where, make_error("E101", f"{where} 不是普通文件", f"{where} is not a regular file"))
        elif is_our_output(name):
            c.own_outputs += 1
        elif name.lower().endswith(".zip"):
            _archive(name, where, path, c, Allowance())
        elif os.path.splitext(name)[1].lower() in SUPPORTED:
            c.inputs.append(Input(name, where, path=path, in_folder=True))
        else:
            zh, en = ext_detail(name)
            c.refuse(name, where, make_error("E112", f"{where}（{zh}）", f"{where} ({en})"))


# ---- archives -------------------------------------------------------------------------

def _archive(name: str, label: str, src, c: Collected, allow: Allowance, depth: int = 0) -> None:
    """Members of the zip at `src` (a path or a file object) into `c`."""
    try:
        with zipfile.ZipFile(src) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            shown_infos = [i for i in infos if not _hidden_member(i.filename)]
            c.hidden += len(infos) - len(shown_infos)
            too_big = archive_problem(shown_infos, ARCHIVE_LIMITS)
            if too_big:
                raise make_error("E130", f"{label}，{too_big[0]}", f"{label}: {too_big[1]}")
            for k, info in enumerate(shown_infos):
                if allow.members <= 0 or info.file_size > allow.bytes:
                    rest = len(shown_infos) - k
                    c.refuse(name, label, make_error("E130", f"{label}：其余 {rest} 个文件未读取",
                                                     f"{label}: {rest} more members not read"))
                    return
                allow.members -= 1
                allow.bytes -= info.file_size
                _member(zf, info, label, c, allow, depth)
    except ReviewError as e:
        c.refuse(name, label, e)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as e:
        c.refuse(name, label, make_error("E133", label, type(e).__name__))


def _member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, c: Collected, allow: Allowance,
            depth: int) -> None:
    name = safe_name(_decode_name(info))
    where = f"{label}:{shown(name)}"
    ext = os.path.splitext(name)[1].lower()
    if is_our_output(name):
        c.own_outputs += 1
        return
    if stat.S_ISLNK(info.external_attr >> 16):
        c.refuse(name, where, make_error("E135", where, where))
        return
    if ext != ".zip" and ext not in SUPPORTED:
        zh, en = ext_detail(name)
        c.refuse(name, where, make_error("E112", f"{where}（{zh}）", f"{where} ({en})"))
        return
    if ext == ".zip" and depth >= 1:
        c.refuse(name, where, make_error("E134", where, where))
        return
    if member_problem(info, ARCHIVE_LIMITS):
        c.refuse(name, where, make_error("E131", where, where))
        return
    try:
        data = zf.read(info)
    except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, ValueError) as e:
        c.refuse(name, where, make_error("E132", where, type(e).__name__))
        return
    if ext == ".zip":
        _archive(name, where, io.BytesIO(data), c, allow, depth + 1)
    else:
        c.inputs.append(Input(name, where, data=data))


def _hidden_member(name: str) -> bool:
    return any(hidden(p) for p in PurePosixPath(name.replace("\\", "/")).parts)


def _decode_name(info: zipfile.ZipInfo) -> str:
    """A member name without the UTF-8 flag: UTF-8 all the same when its bytes are valid
    UTF-8 (tools on Linux and macOS often leave the flag off; GBK names almost never
    are), else GBK, as Windows zip tools write."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


# ---- reading one --------------------------------------------------------------------------

def open_input(inp: Input):
    """What the reader is given: bytes, a path, or (a folder's file) a file opened without
    following a link, so a file swapped for a link after the walk is still refused."""
    if inp.data is not None:
        return inp.data
    if not inp.in_folder:
        return inp.path
    try:
        fd = os.open(inp.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        code = "E135" if os.path.islink(inp.path) else "E101"
        raise make_error(code, inp.source, f"{inp.source} ({type(e).__name__})") from None
    f = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        f.close()
        raise make_error("E101", f"{inp.source} 不是普通文件", f"{inp.source} is not a regular file")
    return f
