"""Web front end of the review assistant: `streamlit run app.py`.

A thin layer over `review/`: two pages (单篇审阅, 批量审阅) built with st.Page + st.navigation.
All HTML built from draft text comes from review.render.highlight (escaped there). Nothing is
fetched from the network; the privacy settings are in .streamlit/config.toml.

Pages: /single and /batch; the root redirects to the start page, which is /single unless
st.session_state["start_page"] == "batch" (set it before AppTest's first run to test the
batch page: AppTest.switch_page only knows pages that are files).
"""
from __future__ import annotations

import functools
import hashlib
import io
import logging
import re
import tempfile
from collections import Counter
from pathlib import Path

import pandas as pd
import streamlit as st

from review.render import highlight as hl
from review.errors import ReviewError
from review.checks.tiers import is_uncertain
from review.domain import SEVERITY_ORDER
from review.render.labels import SCORE_ZH, SEVERITY_ZH, STATUS_ZH, TYPE_ZH, UNCERTAIN_NOTE, UNCERTAIN_ZH

log = logging.getLogger("review.app")

HERE = Path(__file__).resolve().parent
SAMPLES_DIR = HERE / "samples"
UPLOAD_TYPES = ["docx", "txt", "md", "pdf", "doc", "wps"]   # .doc/.wps: read to a clear refusal
DOC_TYPE_OPTIONS = ["auto", "self", "team", "critique", "plan"]
TYPE_SHORT = {"self": "个人", "team": "班子", "critique": "批评意见", "plan": "会议方案"}
NO_SAMPLE = "（不使用示例）"
AUTO = "auto"
WARM_TEXT = "个人发言提纲\n一、存在的主要问题\n我对学习抓得不紧。"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#~$:|])")     # emphasis, links, HTML, headings, maths, emoji


# ---- helpers --------------------------------------------------------------------------------

def md(s) -> str:
    """Text (a file name, a member name) safe inside Streamlit markdown: no formatting,
    no emoji short codes, no maths."""
    out = _MD_SPECIAL.sub(r"\\\1", " ".join(str(s).split()))
    return re.sub(r"^(\d+)([.)])|^([-+=])", lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", out)


def review_mode() -> str | None:
    """REVIEW_MODE (combined, model, rules) if set; else the pipeline's default."""
    from review import settings
    return settings.current().mode


@st.cache_resource(show_spinner="正在加载审阅模型……")
def warm_pipeline(mode: str | None) -> bool:
    """Load spaCy, jieba, the rules and the learned models once per server process."""
    from review.api import review_text
    review_text(WARM_TEXT, doc_type="self", mode=mode)
    return True


def sample_names() -> list[str]:
    return sorted(p.name for p in SAMPLES_DIR.glob("*.txt"))


def pack_options() -> list[str]:
    from review.packs import available_packs
    return [AUTO] + available_packs()


def pack_label(p: str) -> str:
    if p == AUTO:
        from review.packs import DEFAULT_PACK
        return f"自动（默认：{DEFAULT_PACK}）"
    return p


def type_label(t: str) -> str:
    return "自动识别" if t == AUTO else f"{TYPE_ZH.get(t, t)}（{t}）"


LEVEL_ORDER = {**SEVERITY_ORDER, "uncertain": len(SEVERITY_ORDER)}
LEVEL_ZH = {**SEVERITY_ZH, "uncertain": UNCERTAIN_ZH}


def level(f: dict) -> str:
    """A finding's severity, or "uncertain" for the 待核 tier (shown apart, after the rest)."""
    return "uncertain" if is_uncertain(f) else f.get("severity", "")


def finding_key(file: str, f: dict) -> str:
    """Where a dismissal is kept: file + rule + start + end (and, for a finding about the
    whole document, what it is about: several such findings share the offsets 0, 0)."""
    key = f"{file}|{f.get('rule')}|{f.get('start')}|{f.get('end')}"
    if f.get("start") == f.get("end"):
        key += f"|{f.get('part') or f.get('area') or f.get('topic') or ''}"
    return key


def rule_order(rule: str, findings: list[dict]) -> tuple:
    sev = min(SEVERITY_ORDER.get(f.get("severity"), 9) for f in findings if f.get("rule") == rule)
    return sev, hl.rule_rank(rule), rule


def _digest(items) -> str:
    return hashlib.sha1("\x1f".join(map(str, items)).encode("utf-8")).hexdigest()[:8]


def dismissed_set() -> set:
    return st.session_state.setdefault("dismissed", set())


def _toggle_dismissed(fkey: str, wkey: str) -> None:
    if st.session_state.get(wkey):
        dismissed_set().add(fkey)
    else:
        dismissed_set().discard(fkey)


def markdown_bytes(d: dict) -> bytes:
    from review.api import active_rules
    from review.render.text import render_markdown
    from review.report import Report
    return render_markdown(Report.from_dict(d), active_rules(None, review_mode())).encode("utf-8")


def docx_bytes(d: dict) -> bytes:
    from review.render.docx import write_annotated_docx
    buf = io.BytesIO()
    write_annotated_docx(d, buf)
    return buf.getvalue()


def output_stem(file: str) -> str:
    from review.batch import safe_name
    return safe_name(Path(file).stem)


def show_error(e: BaseException) -> None:
    """A ReviewError with its one line (Chinese and English); anything else briefly."""
    if isinstance(e, ReviewError):
        st.error(f"无法审阅该文件 (cannot review this file)：{md(e)}", icon=":material/block:")
    else:
        log.exception("internal error in the review app")
        from review.errors import make_error
        st.error(md(make_error("E900", "", type(e).__name__)), icon=":material/error:")


def guarded(page):
    """Bad input never takes the page down: errors are shown, the page keeps working."""
    @functools.wraps(page)
    def run():
        try:
            page()
        except Exception as e:          # Streamlit's rerun/stop are BaseException: not caught
            show_error(e)
    return run


# ---- one report -----------------------------------------------------------------------------

def structure_parts(d: dict) -> list[tuple[str, bool]]:
    """The required parts for this document type, present or not; and the length."""
    from review.checks.document import PART_MISSING, TOO_SHORT
    from review.packs import load_pack
    from review.lang.zh import role_title
    if d.get("doc_type") not in ("self", "team"):
        return []
    try:
        pack = load_pack(d.get("pack"))
    except ReviewError:
        return []
    present = {s.get("role") for s in d.get("sections", [])}
    missing = {f.get("part") for f in d.get("findings", []) if f.get("rule") == PART_MISSING}
    parts = [(role_title(p), p in present and p not in missing) for p in pack.parts_for(d["doc_type"])]
    short = any(f.get("rule") == TOO_SHORT for f in d.get("findings", []))
    parts.append((f"篇幅不少于{round(pack.min_chars / pack.page_chars)}页", not short))
    return parts


def render_report(d: dict, *, key_prefix: str) -> None:
    """Scores, areas, structure, findings by rule (with dismissal), the highlighted text and
    the downloads of one report dict. Shared by both pages."""
    file = d.get("file", "")
    text = d.get("text", "")
    findings = list(d.get("findings", []))
    uid = hashlib.sha1(f"{key_prefix}|{file}|{len(text)}|{d.get('pack')}|{d.get('doc_type')}".encode()).hexdigest()[:10]

    st.subheader(f"审阅结果：{md(file)}")
    st.caption(f"材料类型：{TYPE_ZH.get(d.get('doc_type'), d.get('doc_type'))}（{d.get('doc_type')}） · "
               f"规则包：{md(d.get('pack', ''))} · 共 {len(findings)} 条意见")
    for w in d.get("warnings", []) or []:
        st.warning(md(w))

    # scores
    cols = st.columns(len(SCORE_ZH))
    for col, (k, label) in zip(cols, SCORE_ZH.items()):
        v = (d.get("score") or {}).get(k)
        why = (d.get("score_explained") or {}).get(k, "")
        with col:
            st.metric(label, "—" if v is None else v, help=why or None)
            if why:
                st.caption(md(why))

    # areas and structure
    left, right = st.columns([3, 2])
    with left:
        st.markdown("**对照检查方面**")
        st.html(hl.areas_html(d.get("areas", [])))
    with right:
        st.markdown("**结构检查（必备部分）**")
        st.html(hl.checklist_html(structure_parts(d)))

    # filters
    rules = sorted({f.get("rule", "") for f in findings}, key=lambda r: rule_order(r, findings))
    sevs = sorted({level(f) for f in findings}, key=lambda s: LEVEL_ORDER.get(s, 9))
    f1, f2 = st.columns([3, 2])
    sel_rules = f1.multiselect("按规则筛选", rules, default=rules, format_func=lambda r: f"{hl.rule_label(r)}（{r}）",
                               key=f"{key_prefix}_rules_{uid}_{_digest(rules)}")
    sel_sevs = f2.multiselect("按严重程度筛选", sevs, default=sevs, format_func=lambda s: LEVEL_ZH.get(s, s),
                              key=f"{key_prefix}_sevs_{uid}_{_digest(sevs)}")
    visible = [f for f in findings if f.get("rule") in sel_rules and level(f) in sel_sevs]
    dismissed = dismissed_set()

    tab_text, tab_list, tab_dl = st.tabs(["全文标注", "问题清单（按规则）", "下载"])

    with tab_list:
        if not visible:
            st.info("没有符合筛选条件的意见。" if findings else "未发现问题。")
        seen: Counter = Counter()
        shown = [r for r in rules if r in sel_rules]
        header = False                     # the 待核 groups come last, under their own note
        for rule, unsure in [(r, False) for r in shown] + [(r, True) for r in shown]:
            group = [f for f in visible if f.get("rule") == rule and (level(f) == "uncertain") == unsure]
            if not group:
                continue
            if unsure and not header:
                st.markdown(f"**{UNCERTAIN_NOTE}**")
                header = True
            n_dis = sum(finding_key(file, f) in dismissed for f in group)
            label = (f"【{UNCERTAIN_ZH}】" if unsure else "") + f"{hl.rule_label(rule)}（{rule}） · {len(group)} 条" + (f"，已不采纳 {n_dis} 条" if n_dis else "")
            with st.expander(label, expanded=False):
                for f in group:
                    fkey = finding_key(file, f)
                    seen[fkey] += 1
                    wkey = f"dismiss|{key_prefix}|{fkey}|{seen[fkey]}"
                    st.html(hl.finding_html(f, text, dismissed=fkey in dismissed))
                    st.checkbox("不采纳此条（不计入下载）", value=fkey in dismissed, key=wkey,
                                on_change=_toggle_dismissed, args=(fkey, wkey))

    active = [f for f in visible if finding_key(file, f) not in dismissed]     # in the order of `rules`
    active.sort(key=lambda f: rules.index(f.get("rule", "")))
    with tab_text:
        st.caption("鼠标停在标色段落上可看到原因；已不采纳或被筛掉的意见不标色。")
        st.html(hl.report_html(text, active, file=file))

    with tab_dl:
        kept = [f for f in findings if finding_key(file, f) not in dismissed]
        out = {**d, "findings": kept}
        n_off = len(findings) - len(kept)
        st.caption(f"下载内容包含 {len(kept)} 条意见" + (f"（已去掉不采纳的 {n_off} 条）" if n_off else "") + "；筛选条件不影响下载。")
        stem = output_stem(file)
        c1, c2 = st.columns(2)
        with c1:
            try:
                st.download_button("下载批注版 Word (.docx)", docx_bytes(out), file_name=f"{stem}.review.docx",
                                   mime=DOCX_MIME, key=f"{key_prefix}_dl_docx_{uid}", on_click="ignore")
            except Exception as e:          # the page stays usable even if Word output fails
                show_error(e)
        with c2:
            st.download_button("下载审阅报告 (.md)", markdown_bytes(out), file_name=f"{stem}.review.md",
                               mime="text/markdown", key=f"{key_prefix}_dl_md_{uid}", on_click="ignore")


# ---- 单篇审阅 --------------------------------------------------------------------------------

def review_cached(name: str, data: bytes, pack: str | None, doc_type: str | None) -> dict:
    """The report dict for these bytes and options; reviewed once per session, not on every
    rerun (the spaCy Doc is not kept: it cannot be pickled and is not needed here)."""
    from review.api import review_document
    mode = review_mode()
    key = (name, hashlib.sha256(data).hexdigest(), pack, doc_type, mode)
    cache = st.session_state.setdefault("_single_reports", {})
    if key not in cache:
        with st.spinner("正在审阅……"):
            rep = review_document(data, filename=name, pack=pack, doc_type=doc_type, mode=mode)
        if len(cache) >= 4:
            cache.pop(next(iter(cache)))
        cache[key] = rep.to_dict()
    return cache[key]


def single_page() -> None:
    st.title("单篇审阅")
    st.caption("上传一份个人发言提纲、对照检查材料、班子材料、相互批评意见或会议方案，逐条给出意见。材料只在本机处理。")
    warm_pipeline(review_mode())

    c1, c2 = st.columns([3, 2])
    with c1:
        up = st.file_uploader("上传材料（.docx / .txt / .md / .pdf）", type=UPLOAD_TYPES, key="single_upload",
                              help="旧版 .doc 和 .wps 请先另存为 .docx。")
    with c2:
        sample = st.selectbox("或选择示例材料", [NO_SAMPLE] + sample_names(), key="single_sample")
    o1, o2 = st.columns(2)
    pack = o1.selectbox("规则包", pack_options(), format_func=pack_label, key="single_pack")
    dtype = o2.selectbox("材料类型", DOC_TYPE_OPTIONS, format_func=type_label, key="single_type")

    if up is not None:
        name, data = up.name, up.getvalue()
        if sample != NO_SAMPLE:
            st.caption("已上传文件，示例选择被忽略。")
    elif sample != NO_SAMPLE:
        name, data = sample, (SAMPLES_DIR / sample).read_bytes()
    else:
        st.info("请上传材料，或从右侧选择一份示例材料。")
        return

    try:
        d = review_cached(name, data, None if pack == AUTO else pack, None if dtype == AUTO else dtype)
    except Exception as e:
        show_error(e)
        return
    if dtype == AUTO:
        st.caption(f"自动识别的材料类型：{TYPE_ZH.get(d['doc_type'], d['doc_type'])}（可在上方改选）")
    render_report(d, key_prefix="single")


# ---- 批量审阅 --------------------------------------------------------------------------------

def run_batch_ui(files, pack: str | None, bar) -> dict:
    """review.batch.run_batch in this process (forking inside a web server is unsafe), the
    bar following each file. Uploads are handed over as bytes (no file per upload, so no
    name is too long); the results go to a fresh temporary folder, removed afterwards.
    No per-file time budget here: signals cannot reach a server's thread."""
    from review.batch import Upload, run_batch
    from review.packs import load_pack
    with tempfile.TemporaryDirectory(prefix="review-batch-") as tmp:
        out = Path(tmp, "out")
        bar.progress(0.0, text="正在读取文件……")

        def step(done: int, total: int, inp) -> None:
            bar.progress(min(0.95, done / max(total, 1)), text=f"已审阅 {done}/{total} 份：{md(inp.name)}")
        res = run_batch([Upload(uf.name, uf.getvalue()) for uf in files], out, pack=pack, mode=review_mode(),
                        workers=1, progress=False, write_docx=False, on_item=step)
        p = load_pack(pack)
        result = {"reports": res.reports, "errors": res.errors, "copies": res.copies,
                  "boilerplate": res.boilerplate, "pack": p.id,
                  "areas": [{"id": a.id, "short": a.short, "title": a.title} for a in p.areas],
                  "xlsx": (out / "summary.xlsx").read_bytes(),
                  "json": (out / "report.json").read_bytes()}
    bar.progress(1.0, text=f"完成：审阅 {len(result['reports'])} 份，无法读取 {len(result['errors'])} 份。")
    return result


def member_label(r: dict) -> str:
    return f"{r['member']}（{r['file']}）" if r.get("member") else r.get("file", "")


def member_table(result: dict) -> pd.DataFrame:
    reports, areas = result["reports"], result["areas"]
    rules = sorted({f["rule"] for r in reports for f in r["findings"]}, key=lambda x: (hl.rule_rank(x), x))
    rows = []
    for r in reports:
        row = {"文件": r["file"], "姓名": r.get("member") or "", "类型": TYPE_SHORT.get(r["doc_type"], r["doc_type"])}
        for k, label in SCORE_ZH.items():
            v = (r.get("score") or {}).get(k)
            row[label] = float("nan") if v is None else v
        status = {a["id"]: a.get("status") for a in r.get("areas", [])}
        for a in areas:
            row[f"{a['id']}.{a['short']}"] = STATUS_ZH.get(status.get(a["id"]), status.get(a["id"]) or "—")
        sev = Counter(level(f) for f in r["findings"])
        for s in ("error", "warning", "info", "uncertain"):
            row[LEVEL_ZH[s]] = sev.get(s, 0)
        by_rule = Counter(f["rule"] for f in r["findings"])
        for rule in rules:
            row[rule] = by_rule.get(rule, 0)
        rows.append(row)
    return pd.DataFrame(rows)


def batch_page() -> None:
    st.title("批量审阅")
    st.caption("上传一个领导班子的全部材料（多份文件，或一个 .zip 压缩包），一次审阅：成员汇总、方面热力图、雷同段落。材料只在本机处理。")
    warm_pipeline(review_mode())

    files = st.file_uploader("上传多份材料或一个 .zip 压缩包", type=UPLOAD_TYPES + ["zip"],
                             accept_multiple_files=True, key="batch_upload")
    pack = st.selectbox("规则包", pack_options(), format_func=pack_label, key="batch_pack")
    signature = (tuple((f.name, f.size) for f in files or []), pack)
    if st.button("开始批量审阅", type="primary", disabled=not files, key="batch_run"):
        bar = st.progress(0.0, text="准备审阅……")
        try:
            result = run_batch_ui(files, None if pack == AUTO else pack, bar)
        except Exception as e:
            show_error(e)
            return
        result["signature"] = signature
        st.session_state["batch_result"] = result

    result = st.session_state.get("batch_result")
    if not result:
        st.info("上传文件后点击“开始批量审阅”。")
        return
    if result.get("signature") != signature:
        st.caption("上传的文件或规则包已改变，下面是上一次的结果；点击“开始批量审阅”重新审阅。")

    reports, errors = result["reports"], result["errors"]
    m1, m2, m3 = st.columns(3)
    m1.metric("已审阅", len(reports))
    m2.metric("无法读取", len(errors))
    m3.metric("雷同段落", len(result["copies"]))

    st.subheader("成员汇总")
    if reports:
        st.dataframe(member_table(result), hide_index=True, key="batch_members")
    else:
        st.info("没有可以审阅的材料。")

    st.subheader("方面 × 成员")
    drafts = [r for r in reports if r["doc_type"] in ("self", "team")]
    st.html(hl.heatmap_html([(r.get("member") or Path(r["file"]).stem, r.get("areas", [])) for r in drafts],
                            result["areas"]))

    st.subheader("雷同段落")
    if result["copies"]:
        st.dataframe(pd.DataFrame([{"文件": c["file"], "雷同对象": c["with"], "相似度": f"{c['similarity']:.0%}",
                                    "段落": c["text"][:120]} for c in result["copies"]]),
                     hide_index=True, key="batch_copies")
    else:
        st.caption("没有发现成员之间雷同的段落。")
    if result["boilerplate"]:
        st.markdown("**多份材料共有的套话**")
        st.dataframe(pd.DataFrame([{"段落": b["text"][:120], "份数": b["count"], "文件": "、".join(b["files"])}
                                   for b in result["boilerplate"]]), hide_index=True, key="batch_boiler")

    if errors:
        st.subheader("无法读取的文件")
        for e in errors:
            st.error(f"{md(e['file'])}：{md(e['message'])}", icon=":material/block:")

    d1, d2 = st.columns(2)
    d1.download_button("下载汇总表 (summary.xlsx)", result["xlsx"], file_name="summary.xlsx", mime=XLSX_MIME,
                       key="batch_dl_xlsx", on_click="ignore")
    d2.download_button("下载全部报告 (report.json)", result["json"], file_name="report.json",
                       mime="application/json", key="batch_dl_json", on_click="ignore")

    if reports:
        st.divider()
        i = st.selectbox("打开一位成员的审阅结果", range(len(reports)), format_func=lambda k: member_label(reports[k]),
                         key="batch_member")
        render_report(reports[i], key_prefix="batch")


# ---- navigation -----------------------------------------------------------------------------

def main() -> None:
    # No page or page_icon icons: the page's icon becomes the favicon, and a ":material/…:"
    # favicon is fetched from Google's icon service (emoji need an emoji font the server may lack).
    # Material icons inside the page (st.error) use the font bundled with Streamlit.
    st.set_page_config(page_title="民主生活会材料审阅助手", layout="wide")
    start = st.session_state.setdefault("start_page", "single")
    single = st.Page(guarded(single_page), title="单篇审阅", url_path="single")
    batch = st.Page(guarded(batch_page), title="批量审阅", url_path="batch")

    def home() -> None:
        """The app root: straight on to the start page (a default page is served only at
        "/", so this keeps /single and /batch both addressable)."""
        st.switch_page(batch if start == "batch" else single)

    pages = [st.Page(home, title="审阅助手", url_path="home", default=True, visibility="hidden"), single, batch]
    with st.sidebar:
        st.caption("民主生活会材料审阅助手 · 离线运行，材料不出本机")
        st.caption(f"判断方式：{review_mode() or '默认'}")
    st.navigation(pages).run()


if __name__ == "__main__":          # streamlit run (and AppTest) run this file as __main__
    main()
