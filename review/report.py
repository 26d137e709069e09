"""The report object and its renderings: SPEC §8 JSON, terminal text, markdown."""
from __future__ import annotations

from dataclasses import dataclass, field

from .findings import Finding

SCHEMA = "review-report/1"
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
STATUS_ZH = {"covered": "已覆盖", "thin": "较空", "missing": "缺失", "listed": "方案所列"}
TYPE_ZH = {"self": "个人发言提纲/对照检查材料", "team": "领导班子对照检查材料",
           "critique": "相互批评意见", "plan": "会议方案"}
SCORE_ZH = {"overall": "总分", "coverage": "覆盖", "structure": "结构", "specificity": "具体度", "patterns": "规范性"}


@dataclass
class Report:
    file: str
    doc_type: str
    pack: str
    text: str
    score: dict
    score_explained: dict
    areas: list[dict]
    sections: list[dict]
    sentences: list[dict]
    findings: list[Finding]
    pack_title: str = ""
    warnings: list[str] = field(default_factory=list)
    doc: object = None            # the spaCy Doc (tokens, spans["sentences"], spans["findings"])
    pairing: list[dict] = field(default_factory=list)   # problem item -> the measures answering it

    @classmethod
    def from_dict(cls, d: dict) -> "Report":
        """A Report from its SPEC §8 dict (the app re-renders edited reports); no Doc."""
        from dataclasses import fields

        from .errors import ReviewError
        from .packs import load_pack
        names = {f.name for f in fields(Finding)} - {"extra"}
        findings = [Finding(**{k: v for k, v in f.items() if k in names},
                            extra={k: v for k, v in f.items() if k not in names}) for f in d.get("findings", [])]
        try:
            title = load_pack(d.get("pack")).title
        except ReviewError:
            title = ""
        return cls(file=d.get("file", ""), doc_type=d.get("doc_type", ""), pack=d.get("pack", ""),
                   text=d.get("text", ""), score=d.get("score", {}), score_explained=d.get("score_explained", {}),
                   areas=d.get("areas", []), sections=d.get("sections", []), sentences=d.get("sentences", []),
                   findings=findings, pack_title=title, warnings=list(d.get("warnings", [])),
                   pairing=d.get("pairing", []))

    @property
    def has_error(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def to_dict(self) -> dict:
        return {"schema": SCHEMA, "file": self.file, "doc_type": self.doc_type, "pack": self.pack,
                "text": self.text, "score": self.score, "score_explained": self.score_explained,
                "areas": self.areas, "sections": self.sections, "sentences": self.sentences,
                "findings": [f.to_dict() for f in self.sorted_findings()], "pairing": self.pairing,
                "warnings": self.warnings}

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.start, f.rule))

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def quote(self, f: Finding, width: int = 60) -> str:
        q = " ".join(self.text[f.start:f.end].split())
        return q if len(q) <= width else q[: width - 1] + "…"


def render_text(r: Report) -> str:
    out = [f"{r.file} — {TYPE_ZH.get(r.doc_type, r.doc_type)}（{r.doc_type}），规则包 {r.pack}"]
    out.append("  " + "  ".join(f"{SCORE_ZH[k]} {'—' if v is None else v}" for k, v in r.score.items()))
    for k, why in r.score_explained.items():
        out.append(f"    {SCORE_ZH.get(k, k)}：{why}")
    if r.areas:
        out.append("  方面: " + "  ".join(f"{a['id']}.{a.get('short') or a['title'][:12]}[{STATUS_ZH.get(a['status'], a['status'])}]"
                                         for a in r.areas))
    for f in r.sorted_findings():
        where = f"第{r.line_of(f.start)}行" if f.end > f.start else "全文"
        out.append(f"  [{SEVERITY_ZH[f.severity]}] {f.rule} {where}：{f.message}{_conf(f)}")
        if f.end > f.start:
            out.append(f"      「{r.quote(f)}」")
        out.append(f"      依据：{f.clause}；建议：{f.suggestion}")
    if not r.findings:
        out.append("  未发现问题。")
    return "\n".join(out)


def render_markdown(r: Report) -> str:
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
    for f in r.sorted_findings():
        where = f"第{r.line_of(f.start)}行" if f.end > f.start else "全文"
        out.append(f"- **{SEVERITY_ZH[f.severity]}** `{f.rule}`（{where}）：{_md(f.message)}{_conf(f)}")
        if f.end > f.start:
            out.append(f"  > {_md(r.quote(f, 120))}")
        out.append(f"  - 依据：{_md(f.clause)}")
        out.append(f"  - 修改建议：{_md(f.suggestion)}")
    return "\n".join(out) + "\n"


def _conf(f: Finding) -> str:
    return f"（把握 {f.confidence:.0%}）" if f.confidence is not None else ""


def _md(s: str) -> str:
    return s.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
