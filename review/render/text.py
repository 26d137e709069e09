"""A report as terminal text and as markdown; rules named by their rulebook label."""
from __future__ import annotations

from ..checks.findings import Finding
from ..checks.tiers import is_uncertain
from ..report import Report
from ..rulebook import RuleSet
from .labels import SCORE_ZH, STATUS_ZH, TYPE_ZH, UNCERTAIN_NOTE, UNCERTAIN_ZH, severity_label


def render_text(r: Report, rules: RuleSet) -> str:
    out = [f"{r.file} — {TYPE_ZH.get(r.doc_type, r.doc_type)}（{r.doc_type}），规则包 {r.pack}"]
    out.append("  " + "  ".join(f"{SCORE_ZH[k]} {'—' if v is None else v}" for k, v in r.score.items()))
    for k, why in r.score_explained.items():
        out.append(f"    {SCORE_ZH.get(k, k)}：{why}")
    if r.areas:
        out.append("  方面: " + "  ".join(f"{a['id']}.{a.get('short') or a['title'][:12]}[{STATUS_ZH.get(a['status'], a['status'])}]"
                                         for a in r.areas))
    firm, unsure = _tiers(r)
    for k, f in enumerate(firm + unsure):
        if k == len(firm):
            out.append(f"  —— {UNCERTAIN_NOTE} ——")
        where = f"第{r.line_of(f.start)}行" if f.end > f.start else "全文"
        out.append(f"  [{severity_label(f)}] {rules.label(f.rule)}（{f.rule}）{where}：{f.message}{_conf(f)}")
        if f.end > f.start:
            out.append(f"      「{r.quote(f)}」")
        out.append(f"      依据：{f.clause}；建议：{f.suggestion}")
    if not r.findings:
        out.append("  未发现问题。")
    return "\n".join(out)


def render_markdown(r: Report, rules: RuleSet) -> str:
    out = [f"# 审阅报告：{r.file}", "",
           f"- 材料类型：{TYPE_ZH.get(r.doc_type, r.doc_type)}（`{r.doc_type}`）",
           f"- 规则包：{r.pack_title or r.pack}（`{r.pack}`）", "",
           "## 评分", "", "| 项目 | 分数 | 计算方法 |", "|---|---|---|"]
    out += [f"| {SCORE_ZH[k]} | {'—' if v is None else v} | {r.score_explained.get(k, '')} |" for k, v in r.score.items()]
    if r.areas:
        out += ["", "## 对照检查方面", "", "| 方面 | 状态 | 问题句 | 具体事例 |", "|---|---|---|---|"]
        out += [f"| {a['id']}. {_md(a['title'])} | {STATUS_ZH.get(a['status'], a['status'])} | "
                f"{a.get('problems', '')} | {a.get('concrete', '')} |" for a in r.areas]
    if r.pairing:
        out += ["", "## 问题与整改措施对应", "", "| 问题 | 对应的整改措施 |", "|---|---|"]
        out += [f"| {_md(row['problem']['title'])} | "
                f"{'；'.join(_md(m['title']) for m in row['measures']) or '**（无）**'} |" for row in r.pairing]
    out += ["", "## 发现的问题", ""]
    if not r.findings:
        out.append("未发现问题。")
    firm, unsure = _tiers(r)
    for k, f in enumerate(firm + unsure):
        if k == len(firm):
            out += ["", f"## {UNCERTAIN_ZH}（{UNCERTAIN_NOTE.split('：', 1)[1]}）", ""]
        where = f"第{r.line_of(f.start)}行" if f.end > f.start else "全文"
        out.append(f"- **{severity_label(f)}** {_md(rules.label(f.rule))} `{f.rule}`（{where}）：{_md(f.message)}{_conf(f)}")
        if f.end > f.start:
            out.append(f"  > {_md(r.quote(f, 120))}")
        out.append(f"  - 依据：{_md(f.clause)}")
        out.append(f"  - 修改建议：{_md(f.suggestion)}")
    return "\n".join(out) + "\n"


def _tiers(r: Report) -> tuple[list[Finding], list[Finding]]:
    ordered = r.sorted_findings()
    return [f for f in ordered if not is_uncertain(f)], [f for f in ordered if is_uncertain(f)]


def _conf(f: Finding) -> str:
    return f"（把握 {f.confidence:.0%}）" if f.confidence is not None else ""


def _md(s: str) -> str:
    return s.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
