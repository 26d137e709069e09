"""Command line: review check | eval | rules test | packs.

Exit codes: 0 no error-severity finding, 1 at least one, 2 unusable input or usage error,
3 an internal error (a bug: reported in one line, never a traceback); a batch stopped by
SIGINT or SIGTERM ends with 130 or 143 after writing what it has done.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import warnings

from .errors import ReviewError, internal_error, make_error
from .batch.names import shown

# Each command imports what it needs inside its function: `review --help` and `review packs`
# never load the pipeline, and `review check` never loads the batch, Excel or evaluation code.
EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="review", description="民主生活会材料审阅助手 (review assistant for self-inspection materials)")
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check", help="审阅材料 review drafts")
    c.add_argument("files", nargs="+")
    c.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    c.add_argument("--pack", default=None, help="规则包 rule pack (default 2021-five-leads)")
    c.add_argument("--type", dest="doc_type", choices=["self", "team", "critique", "plan"], default=None,
                   help="材料类型 document type (detected when omitted)")
    c.add_argument("--mode", choices=["combined", "model", "rules"], default=None,
                   help="判断方式 judgement: rules + learned models (default), models alone, rules alone")
    b = sub.add_parser("batch", help="批量审阅 review a whole group's materials (files, folders, .zip)")
    b.add_argument("paths", nargs="+")
    b.add_argument("-o", "--out", required=True, help="输出文件夹 output folder")
    b.add_argument("--pack", default=None)
    b.add_argument("--mode", choices=["combined", "model", "rules"], default=None)
    b.add_argument("--workers", type=int, default=None, help="parallel workers (default: up to 2)")
    b.add_argument("--no-docx", action="store_true", help="skip the annotated Word copies")
    b.add_argument("--overwrite", action="store_true", help="覆盖 replace the results already in the output folder")
    b.add_argument("--time-budget", type=float, default=None, metavar="SECONDS",
                   help="seconds to read and review one file (default 60; 0: no limit)")
    e = sub.add_parser("eval", help="对照标注评测 score against gold files")
    e.add_argument("dir")
    e.add_argument("--json", action="store_true", help="print the scores as JSON")
    e.add_argument("--mode", choices=["combined", "model", "rules"], default=None)
    e.add_argument("--ablation", action="store_true", help="rules alone, model alone and combined side by side")
    e.add_argument("--errors", action="store_true",
                   help="列出判错的句子 list every misjudged sentence: gold, predicted, the evidence that decided")
    t = sub.add_parser("train", help="训练模型 rebuild the learned models from the corpus")
    t.add_argument("--no-cv", action="store_true", help="skip the cross-validation")
    t.add_argument("--out", default=None, help="model folder (default: review/models/, or $REVIEW_MODEL_DIR)")
    r = sub.add_parser("rules", help="规则 rules")
    r.add_argument("action", choices=["test", "list", "calibrate"])
    r.add_argument("dir", nargs="?", default=None,
                   help="calibrate: folder of our validation drafts with gold (default eval/validation)")
    sub.add_parser("packs", help="列出规则包 list rule packs")
    return p


def main(argv: list[str] | None = None) -> int:
    _utf8_stdout()
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:           # argparse already printed its usage line
        return EXIT_INPUT if e.code else EXIT_OK
    warnings.simplefilter("ignore")   # library warnings; refused rules are printed by review.api
    try:
        return {"check": _check, "eval": _eval, "rules": _rules, "packs": _packs, "train": _train,
                "batch": _batch}[args.cmd](args)
    except ReviewError as err:
        print(f"review: {shown(err)}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:           # output piped into head/less that closed early
        sys.stdout = open(os.devnull, "w")
        return EXIT_OK
    except Exception as exc:          # a bug: one line, no traceback
        print(f"review: {internal_error(exc)}", file=sys.stderr)
        return EXIT_INTERNAL


def _check(args) -> int:
    from .api import active_rules, review_document
    from .render.text import render_markdown, render_text
    rules = active_rules(None, args.mode)      # a broken rulebook: one line for the whole call
    code, reports = EXIT_OK, []
    for path in args.files:
        try:
            rep = review_document(path, pack=args.pack, doc_type=args.doc_type, mode=args.mode)
        except ReviewError as err:
            print(f"review: {shown(path)}: {shown(err)}", file=sys.stderr)
            code = max(code, EXIT_INPUT)
            continue
        except (KeyboardInterrupt, BrokenPipeError):
            raise
        except Exception as exc:      # one bad file must not stop the others
            print(f"review: {shown(path)}: {internal_error(exc)}", file=sys.stderr)
            code = EXIT_INTERNAL
            continue
        if rep.has_error and code == EXIT_OK:
            code = EXIT_FINDINGS
        if args.format == "json":
            reports.append(rep.to_dict())
        else:
            print(render_text(rep, rules) if args.format == "text" else render_markdown(rep, rules))
    if args.format == "json" and (reports or len(args.files) > 1):
        out = reports[0] if len(args.files) == 1 else reports   # several files: always a list
        print(json.dumps(out, ensure_ascii=False, indent=1))
    return code


def _eval(args) -> int:
    from pathlib import Path

    from .api import review_document
    from .evaluate.scorer import ablation_table, evaluate_dir, format_errors, format_table
    if not Path(args.dir).is_dir():
        raise make_error("E120", args.dir, args.dir)
    if args.ablation:
        results = {m: evaluate_dir(args.dir, lambda p, m=m: review_document(p, mode=m).to_dict())
                   for m in ("rules", "model", "combined")}
        print(json.dumps({m: r.to_dict() for m, r in results.items()}, ensure_ascii=False, indent=1)
              if args.json else ablation_table(results))
        return EXIT_OK
    res = evaluate_dir(args.dir, lambda p: review_document(p, mode=args.mode).to_dict())
    if args.json:
        print(json.dumps(res.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(format_errors(res) if args.errors else format_table(res))
    return EXIT_OK


def _batch(args) -> int:
    import signal

    from .batch import DEFAULT_BUDGET, run_batch
    budget = DEFAULT_BUDGET if args.time_budget is None else args.time_budget
    res = run_batch(args.paths, args.out, pack=args.pack, mode=args.mode, workers=args.workers,
                    write_docx=not args.no_docx, overwrite=args.overwrite, budget=budget)
    for e in res.errors:
        print(f"review: {shown(e['source'])}: {shown(e['message'])}", file=sys.stderr)
    n_err = sum(1 for r in res.reports for f in r["findings"] if f["severity"] == "error")
    hidden, own = res.skipped["hidden"], res.skipped["own_outputs"]
    out = shown(args.out)
    print(f"审阅 {len(res.reports)} 份，无法读取 {len(res.errors)} 份，雷同段落 {len(res.copies) // 2} 处，"
          f"套话 {len(res.boilerplate)} 条；略过隐藏文件 {hidden} 个、已有审阅结果 {own} 个；"
          f"用时 {res.timings['total']:.1f} 秒")
    print(f"reviewed {len(res.reports)}, unreadable {len(res.errors)}, copied passages {len(res.copies) // 2}, "
          f"boilerplate {len(res.boilerplate)}, skipped {hidden} hidden and {own} own outputs → {out}/summary.xlsx, "
          "report.json, run.json" + (", *.review.docx" if not args.no_docx else ""))
    if res.interrupted:
        print(f"review: 已中断（{res.interrupted}），未审阅 {len(res.not_reviewed)} 份；结果已标为未完成 "
              f"(interrupted, {len(res.not_reviewed)} not reviewed; results marked partial in run.json)",
              file=sys.stderr)
        return 128 + signal.Signals[res.interrupted].value
    if res.errors:
        return EXIT_INPUT
    return EXIT_FINDINGS if n_err else EXIT_OK


def _train(args) -> int:
    from .judge.train import train
    manifest = train(args.out, cv=not args.no_cv)
    print(json.dumps({k: manifest[k] for k in ("records", "corpus_hash", "metrics", "seconds")}, ensure_ascii=False))
    return EXIT_OK


def _rules(args) -> int:
    from .api import load_checked_rulebook, review_text
    from .checks.selftest import example_problems, run_examples
    rules = load_checked_rulebook()
    if args.action == "list":
        from .checks.tiers import load_calibration
        cal = load_calibration()
        if cal is not None:
            print(f"precision / recall at the warning tier, and over both tiers, measured on {cal.source} "
                  f"({cal.mode}); below the threshold a finding is 待核")
        for r in rules.rules:
            m = cal.measured.get(r.id) if cal else None
            quality = (f"  P {_num(m.get('precision'))} R {_num(m.get('recall'))} (all: P {_num(m.get('precision_all'))} "
                       f"R {_num(m.get('recall_all'))}, n={m.get('support')}) 待核 <{m.get('threshold')}") if m else ""
            print(f"{r.id:34} {r.kind:18} {r.severity:8} {r.label}：{r.clause}{quality}")
        return EXIT_OK
    if args.action == "calibrate":
        return _calibrate(args)
    results = run_examples(rules, review_text)          # always for real, never from the cache
    failed = [x for x in results if not x.passed]
    problems = [(r.id, msg) for r in rules.rules for msg in example_problems(r)]
    for rid, msg in problems:
        print(f"FAIL {rid}: {msg}")
    for x in results:
        print(f"{'ok  ' if x.passed else 'FAIL'} {x.case_id:44} {x.detail}")
    print(f"{len(results) - len(failed)} passed, {len(failed) + len(problems)} failed")
    return EXIT_FINDINGS if failed or problems else EXIT_OK


def _num(x) -> str:
    return "—" if x is None else f"{x:.2f}"


def _calibrate(args) -> int:
    from pathlib import Path

    from .api import default_mode, review_document
    from .checks.tiers import calibration_path
    from .evaluate.calibrate import calibrate, write_calibration
    folder = Path(args.dir or "eval/validation")
    if not folder.is_dir():
        print(f"review: 找不到文件夹 (no such folder): {str(folder)!r}", file=sys.stderr)
        return EXIT_INPUT
    os.environ["REVIEW_TIERS"] = "0"                  # measure every finding, both tiers
    mode = default_mode()
    data = calibrate(folder, lambda p: review_document(p, mode=mode).to_dict(), mode)
    write_calibration(data, calibration_path())
    for rid, m in data["rules"].items():
        print(f"{rid:34} threshold {m['threshold']:.3f}  P {_num(m['precision'])} R {_num(m['recall'])}"
              f"  (all: P {_num(m['precision_all'])} R {_num(m['recall_all'])}, n={m['support']})")
    print(f"written to {calibration_path()}")
    return EXIT_OK


def _packs(args) -> int:
    from .packs import available_packs, load_pack
    for name in available_packs():
        p = load_pack(name)
        print(f"{p.id:20} {len(p.areas)} areas  {p.title}")
    return EXIT_OK


def _utf8_stdout() -> None:
    for s in (sys.stdout, sys.stderr):
        try:
            s.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass


if __name__ == "__main__":
    sys.exit(main())
