"""Batch review of a whole leading group: every member's outline, the team material and the
critiques at once (files, folders or .zip archives).

Phases: check the output folder → read inputs (review.inputs) → review each, in parallel,
within a time budget → passages copied between drafts → team problems no member owns →
outputs (<name>.review.docx, summary.xlsx, report.json, then run.json last).
A file that cannot be read is reported and skipped; the batch goes on. SIGTERM or SIGINT
stops the workers and writes what is done, marked as interrupted.
"""
from __future__ import annotations

import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..api import active_rules, review_document, review_text
from .budget import OverBudget, budget_possible, time_budget
from ..checks.crossdoc import copied_passages, unclaimed_team_problems
from ..errors import ReviewError, internal_error, make_error
from .inputs import SUPPORTED, Input, Upload, collect, input_error, open_input
from .names import safe_name, unique_names
from .outputs import DOCX_SUFFIX, prepare_out_dir, remove_temporaries, write_into
from ..packs import load_pack
from .pool import Interrupted, parallel_map, stop_on_signals
from ..render.docx import write_annotated_docx
from ..render.excel import write_workbook

__all__ = ["BatchResult", "Input", "SUPPORTED", "Upload", "collect_inputs", "member_name", "run_batch",
           "safe_name", "unique_names", "DEFAULT_BUDGET"]

DEFAULT_BUDGET = 60.0          # seconds to read and review one file
RUN_SCHEMA = "review-run/1"


@dataclass
class BatchResult:
    reports: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    copies: list[dict] = field(default_factory=list)
    boilerplate: list[dict] = field(default_factory=list)
    timings: dict = field(default_factory=dict)
    outputs: dict = field(default_factory=dict)
    skipped: dict = field(default_factory=lambda: {"hidden": 0, "own_outputs": 0})
    not_reviewed: list[str] = field(default_factory=list)    # left when interrupted
    interrupted: str | None = None                           # the signal's name
    manifest: dict = field(default_factory=dict)


def collect_inputs(paths: list) -> tuple[list[Input], list[dict]]:
    """Files, folders (recursively), .zip archives and Uploads, in the order given."""
    got = collect(paths)
    return got.inputs, got.errors


# ---- reviewing --------------------------------------------------------------------------

_OPTS: dict = {}


def _init_worker(opts: dict) -> None:
    _OPTS.clear()
    _OPTS.update(opts)


def _review_one(inp: Input) -> dict:
    t0 = time.perf_counter()
    budget = _OPTS.get("budget")
    try:
        with time_budget(budget):
            src = open_input(inp)
            try:
                rep = review_document(src, filename=inp.name, pack=_OPTS.get("pack"), mode=_OPTS.get("mode"))
            finally:
                if hasattr(src, "close"):
                    src.close()
            d = rep.to_dict()
    except OverBudget:
        return {"error": input_error(inp.name, inp.source, make_error(
            "E118", f"{inp.source}，超过 {budget:g} 秒", f"{inp.source}: over {budget:g} s"))}
    except ReviewError as e:
        return {"error": input_error(inp.name, inp.source, e)}
    except Exception as e:                       # one bad file must not stop the batch
        return {"error": input_error(inp.name, inp.source, internal_error(e))}
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


def _map(fn, items: list, workers: int, opts: dict, progress, label: str, on_result, on_lost) -> None:
    """fn over items (forked workers when worth it), on_result(item, result) after each, in
    order; on_lost(item, exc) the result of an item whose worker died."""
    bar = _bar(len(items), label, progress)
    done = [0]

    def step(r):
        on_result(items[done[0]], r)
        done[0] += 1
        bar.update(1)
    try:
        parallel_map(fn, items, workers if len(items) >= 4 else 1, init=_init_worker, initargs=(opts,),
                     on_result=step, on_lost=on_lost)
    finally:
        bar.close()


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

def run_batch(paths: list, out_dir, *, pack: str | None = None, mode: str | None = None,
              workers: int | None = None, progress: bool = True, write_docx: bool = True,
              on_item=None, overwrite: bool = False, budget: float | None = DEFAULT_BUDGET) -> BatchResult:
    """Review everything under `paths` (paths or Uploads) into `out_dir`.

    `workers=1` reviews in this process (a web server must not fork); on_item(done, total,
    input) reports progress. An output folder already holding results is refused (E141)
    unless `overwrite`. `budget` seconds per file (E118 beyond), where signals allow: in
    forked workers and in a main thread, not in a server's thread."""
    t0, started = time.perf_counter(), _now()
    res = BatchResult()
    out = prepare_out_dir(out_dir, overwrite=overwrite)
    workers = workers or min(2, os.cpu_count() or 1)
    opts = {"pack": pack, "mode": mode, "budget": budget}
    inputs: list[Input] = []
    with stop_on_signals() as stop:
        try:
            _warm(opts)
            got = collect(paths, skip_dirs=[out])
            inputs, res.errors = got.inputs, got.errors
            res.skipped = {"hidden": got.hidden, "own_outputs": got.own_outputs}
            _review_all(res, inputs, workers, opts, progress, on_item)
            _cross_document(res, pack, mode)
            if write_docx:
                _write_docx_all(res, out, workers, progress, opts)
        except Interrupted as e:
            res.interrupted = str(e)
        reviewed = {r["file"] for r in res.reports} | {e["file"] for e in res.errors}
        res.not_reviewed = [i.name for i in inputs if i.name not in reviewed]
        with stop.hold():                    # a further signal must not cut the results short
            t = time.perf_counter()
            _write_results(res, out, pack, started, budget, workers)
            res.timings["outputs"] = res.timings.get("outputs", 0.0) + time.perf_counter() - t
    res.timings["total"] = time.perf_counter() - t0
    return res


def _review_all(res: BatchResult, inputs: list[Input], workers, opts, progress, on_item) -> None:
    t = time.perf_counter()

    def keep(inp, r):
        (res.errors if "error" in r else res.reports).append(r.get("error") or r["report"])
        if on_item:
            on_item(len(res.reports) + len(res.errors), len(inputs), inp)
    try:
        _map(_review_one, inputs, workers, opts, progress, "审阅", keep, _lost_input)
    finally:
        res.timings["review"] = time.perf_counter() - t


def _lost_input(inp: Input, exc) -> dict:
    return {"error": input_error(inp.name, inp.source, _worker_died(exc))}


def _worker_died(exc) -> ReviewError:
    return make_error("E900", "审阅进程意外退出（内存不足或被终止）", f"the worker process died ({type(exc).__name__})")


def _cross_document(res: BatchResult, pack, mode) -> None:
    t = time.perf_counter()
    rules = active_rules(None, mode)
    res.copies, res.boilerplate = copied_passages(res.reports, load_pack(pack), rules)
    res.timings["copies"] = time.perf_counter() - t
    unclaimed_team_problems(res.reports, rules)


# ---- outputs ----------------------------------------------------------------------------

def _write_docx_all(res: BatchResult, out: Path, workers: int, progress, opts) -> None:
    t = time.perf_counter()
    names = unique_names([r["file"] for r in res.reports])
    jobs = [(r, str(out), n + DOCX_SUFFIX) for r, n in zip(res.reports, names)]
    res.outputs["docx"] = []

    def keep(job, r):
        if r is None:
            res.outputs["docx"].append(str(out / job[2]))
        else:
            res.errors.append(r)
    try:
        _map(_write_docx, jobs, workers, {"budget": opts.get("budget")}, progress, "批注", keep,
             lambda job, exc: input_error(job[0]["file"], job[0].get("source", ""), _worker_died(exc)))
    finally:
        res.timings["outputs"] = time.perf_counter() - t


def _write_docx(job) -> dict | None:
    """Write one annotated copy; None, or the reason it could not be written."""
    report, out, name = job
    try:
        with time_budget(_OPTS.get("budget")):
            write_into(Path(out), name, lambda p: write_annotated_docx(report, p))
    except OverBudget:
        err = make_error("E118", f"{name} 未写出", f"{name} not written")
    except ReviewError as e:
        err = e
    except Exception as e:
        err = internal_error(e)
    else:
        return None
    return input_error(report["file"], report.get("source", ""), err)


def _write_results(res: BatchResult, out: Path, pack, started: str, budget, workers: int) -> None:
    """summary.xlsx and report.json, then run.json last: its presence means the rest is written."""
    p = load_pack(pack)
    note = _partial_note(res)
    try:
        remove_temporaries(out)
        write_into(out, "summary.xlsx", lambda path: write_workbook(
            res.reports, path, copies=res.copies, boilerplate=res.boilerplate, errors=res.errors,
            pack_areas=[{"id": a.id, "short": a.short, "title": a.title} for a in p.areas], partial=note))
        write_into(out, "report.json", lambda path: Path(path).write_bytes(_json_bytes(res.reports)))
        res.outputs.update(summary=str(out / "summary.xlsx"), report=str(out / "report.json"))
        res.outputs.setdefault("docx", [])
        res.manifest = _manifest(res, started, budget, workers)
        write_into(out, "run.json", lambda path: Path(path).write_bytes(_json_bytes(res.manifest, indent=1)))
        res.outputs["run"] = str(out / "run.json")
    except OSError as e:
        raise make_error("E140", f"{out} 无法写入（{e.strerror or type(e).__name__}）",
                         f"{out} cannot be written ({e.strerror or type(e).__name__})",
                         hint=("请检查磁盘空间和写入权限", "check free space and permissions")) from None


def _partial_note(res: BatchResult) -> str | None:
    if not res.interrupted:
        return None
    return (f"审阅被中断（{res.interrupted}），本表只含已完成的 {len(res.reports) + len(res.errors)} 份；"
            f"未审阅 {len(res.not_reviewed)} 份，见 run.json。")


def _manifest(res: BatchResult, started: str, budget, workers: int) -> dict:
    return {
        "schema": RUN_SCHEMA,
        "status": "interrupted" if res.interrupted else "complete",
        "signal": res.interrupted,
        "started": started,
        "finished": _now(),
        "counts": {"inputs": len(res.reports) + len(res.errors) + len(res.not_reviewed),
                   "reviewed": len(res.reports), "refused": len(res.errors),
                   "not_reviewed": len(res.not_reviewed), "skipped_hidden": res.skipped["hidden"],
                   "skipped_own_outputs": res.skipped["own_outputs"], "docx": len(res.outputs.get("docx", []))},
        "not_reviewed": res.not_reviewed,
        "time_budget": {"seconds": budget, "enforced": bool(budget) and (workers > 1 or budget_possible())},
        "timings": {k: round(v, 3) for k, v in res.timings.items()},
    }


def _json_bytes(obj, indent=None) -> bytes:
    """UTF-8 JSON that stays valid whatever a name holds (a lone surrogate becomes '?')."""
    return json.dumps(obj, ensure_ascii=False, indent=indent).encode("utf-8", "replace")


def _now() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")
