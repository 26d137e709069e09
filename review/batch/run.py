"""Batch review of a whole leading group: every member's outline, the team material and the
critiques at once (files, folders or .zip archives).

Phases: read inputs → review each (in parallel) → passages copied between drafts →
team problems no member owns → outputs (summary.xlsx, <name>.review.docx, report.json).
A file that cannot be read is reported and skipped; the batch goes on.
"""
from __future__ import annotations

import json
import os
import re
import sys
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .api import active_rules, review_document, review_text
from .checks.crossdoc import copied_passages, unclaimed_team_problems
from .errors import ReviewError, internal_error, make_error
from .ingest.zipguard import ARCHIVE_LIMITS, archive_problem, member_problem
from .packs import load_pack
from .render.docx import write_annotated_docx
from .render.excel import write_workbook

SUPPORTED = {".docx", ".txt", ".md", ".pdf", ".doc", ".wps"}   # .doc/.wps: reviewed to a clear refusal


@dataclass
class Input:
    name: str                      # display name: the file's own name (no folders)
    source: str                    # where it came from (path, or archive:member)
    data: bytes | None = None      # read from an archive
    path: Path | None = None       # a file on disk


@dataclass
class BatchResult:
    reports: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    copies: list[dict] = field(default_factory=list)
    boilerplate: list[dict] = field(default_factory=list)
    timings: dict = field(default_factory=dict)
    outputs: dict = field(default_factory=dict)


# ---- inputs ---------------------------------------------------------------------------

def collect_inputs(paths: list[str]) -> tuple[list[Input], list[dict]]:
    """Files, folders (recursively) and .zip archives, in the order given."""
    inputs, errors = [], []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(q for q in p.rglob("*") if q.is_file() and not q.name.startswith((".", "~$"))):
                if f.suffix.lower() == ".zip":
                    _from_zip(f, inputs, errors)
                elif f.suffix.lower() in SUPPORTED:
                    inputs.append(Input(f.name, str(f), path=f))
        elif p.is_file() and p.suffix.lower() == ".zip":
            _from_zip(p, inputs, errors)
        elif p.is_file():
            inputs.append(Input(p.name, str(p), path=p))
        else:
            errors.append(_error(p.name or raw, raw, make_error("E101", raw, raw)))
    _distinct_names(inputs)
    return inputs, errors


def _distinct_names(inputs: list[Input]) -> None:
    """Two inputs with one name (folders, archives) get 王某某.docx and 王某某-2.docx:
    reports, copied passages and outputs are keyed by name."""
    for inp, stem in zip(inputs, unique_names([i.name for i in inputs])):
        suffix = Path(inp.name).suffix
        if Path(inp.name).stem != stem:
            inp.name = stem + suffix


def _from_zip(path: Path, inputs: list[Input], errors: list[dict]) -> None:
    """Members checked for count, size and compression ratio before any is read; read into
    memory, never extracted, so a member named ../x or /etc/x cannot write anywhere."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir() and not _hidden(i.filename)]
            too_big = archive_problem(infos, ARCHIVE_LIMITS)
            if too_big:
                raise make_error("E130", f"{path.name}，{too_big[0]}", f"{path.name}: {too_big[1]}")
            for info in infos:
                name = safe_name(_decode_name(info))
                where = f"{path.name}:{name}"
                if Path(name).suffix.lower() not in SUPPORTED:
                    continue
                if member_problem(info, ARCHIVE_LIMITS):
                    errors.append(_error(name, where, make_error("E131", name, name)))
                    continue
                try:
                    inputs.append(Input(name, where, data=zf.read(info)))
                except (zipfile.BadZipFile, RuntimeError, OSError) as e:
                    errors.append(_error(name, where, make_error("E132", name, type(e).__name__)))
    except ReviewError as e:
        errors.append(_error(path.name, str(path), e))
    except (zipfile.BadZipFile, OSError) as e:
        errors.append(_error(path.name, str(path), make_error("E133", path.name, type(e).__name__)))


def _hidden(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return any(p.startswith((".", "__MACOSX", "~$")) and p not in (".", "..") for p in parts)


def _decode_name(info: zipfile.ZipInfo) -> str:
    """Member names from Windows zip tools are GBK without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def safe_name(name: str) -> str:
    """The last path component, without control characters or separators, not empty."""
    base = PurePosixPath(re.sub(r"[\x00-\x1f\x7f]", "", name).replace("\\", "/")).name
    base = re.sub(r"[<>:\"|?*]", "_", base).strip(" .")
    return base[:120] if base.strip("_") else "未命名"


def _error(name: str, source: str, err: ReviewError) -> dict:
    return {"file": name, "source": source, "code": err.code, "message": str(err)}


# ---- reviewing --------------------------------------------------------------------------

_OPTS: dict = {}


def _init_worker(opts: dict) -> None:
    _OPTS.update(opts)


def _review_one(inp: Input) -> dict:
    t0 = time.perf_counter()
    try:
        src = inp.path if inp.path is not None else inp.data
        rep = review_document(src, filename=inp.name, pack=_OPTS.get("pack"), mode=_OPTS.get("mode"))
    except ReviewError as e:
        return {"error": _error(inp.name, inp.source, e)}
    except Exception as e:                       # one bad file must not stop the batch
        return {"error": _error(inp.name, inp.source, internal_error(e))}
    d = rep.to_dict()
    d["file"] = inp.name
    d["source"] = inp.source
    d["member"] = member_name(rep.text)
    d["seconds"] = round(time.perf_counter() - t0, 4)
    return {"report": d}


def member_name(text: str) -> str:
    """The writer's name where the draft states it: "王某某同志……发言提纲" or "姓名：王某某"."""
    head = text[:600]
    m = re.search(r"姓\s*名[：:]\s*([\u4e00-\u9fa5Xx×]{2,4})", head)
    if m:
        return m.group(1)
    first = next((ln for ln in head.splitlines() if ln.strip()), "")
    m = re.search(r"([\u4e00-\u9fa5Xx×]{2,4})同志", re.sub(r"[#*\s]", "", first))
    if not m:
        return ""
    name = m.group(1)[-3:]                  # most names have three characters …
    return name[1:] if name[0] in TITLE_ENDS else name   # … unless that takes in a title (副局长王某)


TITLE_ENDS = set("长记任员席理师官")        # last characters of 局长, 书记, 主任, 委员, 主席, 经理 …


def _map(fn, items: list, workers: int, opts: dict, progress, label: str, on_item=None) -> list:
    """fn over items, in a pool of forked workers (they inherit loaded models) when worth it.
    on_item(done, total, item) is called after each item (the app's progress bar)."""
    bar = _bar(len(items), label, progress)
    out = []
    try:
        if workers <= 1 or len(items) < 4:
            _init_worker(opts)
            for it in items:
                out.append(fn(it))
                bar.update(1)
                if on_item:
                    on_item(len(out), len(items), it)
        else:
            import multiprocessing as mp           # only when forking workers
            ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
            with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker, initargs=(opts,)) as pool:
                for r in pool.map(fn, items, chunksize=max(1, min(16, len(items) // (workers * 8)))):
                    out.append(r)
                    bar.update(1)
                    if on_item:
                        on_item(len(out), len(items), items[len(out) - 1])
    finally:
        bar.close()
    return out


def _bar(total: int, label: str, progress):
    if progress and sys.stderr.isatty():
        try:
            from tqdm import tqdm                  # only for a terminal
            return tqdm(total=total, desc=label, unit="份", file=sys.stderr, leave=False)
        except ImportError:
            pass

    class Quiet:
        def update(self, n):
            pass

        def close(self):
            pass
    return Quiet()


def _warm(opts: dict) -> None:
    """Load spaCy, jieba, rules and models once in the parent, so forked workers share them."""
    review_text("个人发言提纲\n一、存在的主要问题\n我对学习抓得不紧。", doc_type="self", mode=opts.get("mode"),
                pack=opts.get("pack"))


# ---- the batch --------------------------------------------------------------------------

def run_batch(paths: list[str], out_dir, *, pack: str | None = None, mode: str | None = None,
              workers: int | None = None, progress: bool = True, write_docx: bool = True,
              on_item=None) -> BatchResult:
    """Review everything under `paths` into `out_dir`. `workers=1` reviews in this process
    (a web server must not fork); on_item(done, total, input) reports progress."""
    t0 = time.perf_counter()
    res = BatchResult()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    workers = workers or min(2, os.cpu_count() or 1)
    opts = {"pack": pack, "mode": mode}
    _warm(opts)
    inputs, res.errors = collect_inputs(paths)
    t = time.perf_counter()
    for r in _map(_review_one, inputs, workers, opts, progress, "审阅", on_item):
        if "error" in r:
            res.errors.append(r["error"])
        else:
            res.reports.append(r["report"])
    res.timings["review"] = time.perf_counter() - t

    t = time.perf_counter()
    p = load_pack(pack)
    rules = active_rules(None, mode)
    res.copies, res.boilerplate = copied_passages(res.reports, p, rules)
    res.timings["copies"] = time.perf_counter() - t
    unclaimed_team_problems(res.reports, rules)

    t = time.perf_counter()
    res.outputs = write_outputs(res, out, p, workers=workers, progress=progress, write_docx=write_docx)
    res.timings["outputs"] = time.perf_counter() - t
    res.timings["total"] = time.perf_counter() - t0
    return res


def write_outputs(res: BatchResult, out: Path, pack, *, workers: int, progress, write_docx: bool) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    outputs = {"summary": str(out / "summary.xlsx"), "report": str(out / "report.json"), "docx": []}
    write_workbook(res.reports, out / "summary.xlsx", copies=res.copies, boilerplate=res.boilerplate,
                   errors=res.errors, pack_areas=[{"id": a.id, "short": a.short, "title": a.title} for a in pack.areas])
    with open(out / "report.json", "w", encoding="utf-8") as f:
        json.dump(res.reports, f, ensure_ascii=False)
    if write_docx:
        names = unique_names([r["file"] for r in res.reports])
        jobs = [(r, str(out / f"{n}.review.docx")) for r, n in zip(res.reports, names)]
        _map(_write_docx, jobs, workers, {}, progress, "批注")
        outputs["docx"] = [j[1] for j in jobs]
    return outputs


def _write_docx(job) -> None:
    report, path = job
    write_annotated_docx(report, path)


def unique_names(files: list[str]) -> list[str]:
    """Output stems: the input's name without its extension, made unique (王某某, 王某某-2)."""
    seen: dict[str, int] = {}
    out = []
    for f in files:
        stem = safe_name(Path(f).stem)
        n = seen.get(stem, 0) + 1
        seen[stem] = n
        out.append(stem if n == 1 else f"{stem}-{n}")
    return out
