"""Writing a batch's results into its output folder, safely: the folder is a real folder
(E140), holds no earlier results unless overwriting is asked for (E141), and no link is
written through (E142). Every file goes to a temporary name first and is renamed."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import make_error

FIXED_OUTPUTS = ("summary.xlsx", "report.json", "run.json")
DOCX_SUFFIX = ".review.docx"
TEMP_PREFIX = ".review-tmp-"


def is_our_output(name: str) -> bool:
    """A file this program writes into an output folder (or its temporary)."""
    return name in FIXED_OUTPUTS or name.endswith(DOCX_SUFFIX) or name.startswith(TEMP_PREFIX)


def prepare_out_dir(out, *, overwrite: bool = False) -> Path:
    """Create `out` if needed and check it may be written into; raises E140/E141/E142."""
    out = Path(out)
    if out.is_symlink():
        raise make_error("E142", str(out), str(out))
    if out.exists() and not out.is_dir():
        raise make_error("E140", str(out), str(out))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise make_error("E140", f"{out}（{e.strerror or type(e).__name__}）",
                         f"{out} ({e.strerror or type(e).__name__})") from None
    ours = sorted(e.name for e in os.scandir(out) if is_our_output(e.name))
    links = [n for n in ours if (out / n).is_symlink()]
    if links:
        raise make_error("E142", str(out / links[0]), str(out / links[0]))
    if ours and not overwrite:
        shown = "、".join(ours[:3]) + ("……" if len(ours) > 3 else "")
        raise make_error("E141", f"{out}：{shown}", f"{out}: {', '.join(ours[:3])}")
    return out


def write_into(out: Path, name: str, write) -> Path:
    """write(path) into a fresh temporary file in `out`, then renamed to `out/name`.
    A link at `out/name` is refused (E142), never followed."""
    target = out / name
    if target.is_symlink():
        raise make_error("E142", str(target), str(target))
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=out)      # O_EXCL: never an existing file
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, target)                                   # replaces a link, never writes through it
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return target


def remove_temporaries(out: Path) -> None:
    """Temporary files left by workers killed mid-write."""
    for e in os.scandir(out):
        if e.name.startswith(TEMP_PREFIX) and e.is_file(follow_symlinks=False):
            try:
                os.unlink(e.path)
            except OSError:
                pass
