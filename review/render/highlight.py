"""HTML for the web front end: the draft with its weak passages marked, the legend, the
area table, the area × member heat map and one card per finding.

Pure functions, no Streamlit. Drafts are untrusted, so every piece of text that reaches
the HTML (the draft, quoted passages, messages, file and member names) goes through
`html.escape` here, and nothing else builds HTML from draft text.

Every finding that points at a passage (start < end) becomes exactly one element carrying
`data-rule="<rule id>"`. Overlapping findings nest; where two passages cross, the inner one
is closed at the outer one's end and re-opened as a continuation element (`data-of`, no
`data-rule`), so counting `[data-rule]` in the page counts findings.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from html import escape

from ..rulebook import load_rulebook
from .labels import STATUS_ZH, severity_label

_FALLBACK = ["#ffd8a8", "#b2f2bb", "#a5d8ff", "#eebefa", "#ffc9c9", "#c5f6fa", "#d8f5a2", "#fcc2d7"]

# (background, text) for area statuses: the Excel workbook's palette
STATUS_COLOURS = {"covered": ("#c6efce", "#006100"), "thin": ("#ffeb9c", "#9c5700"),
                  "missing": ("#ffc7ce", "#9c0006"), "listed": ("#ddebf7", "#1f4e78")}
STATUS_SYMBOL = {"covered": "●", "thin": "◐", "missing": "○", "listed": "◇"}
SEVERITY_COLOURS = {"error": "#c92a2a", "warning": "#b35c00", "info": "#1f4e78"}


def _e(s) -> str:
    return escape("" if s is None else str(s), quote=True)


def _get(f, key: str, default=None):
    """A field of a finding given as a dict (SPEC §8) or as a review.findings.Finding."""
    if isinstance(f, Mapping):
        return f.get(key, default)
    return getattr(f, key, default)


def rule_label(rule: str) -> str:
    """The rule's Chinese label from the rulebook (its id when the rulebook has none)."""
    return load_rulebook().label(rule)


def rule_rank(rule: str) -> int:
    """The rule's place in the rulebook: every list of rules is shown in this order."""
    return load_rulebook().order(rule)


def rule_colour(rule: str) -> str:
    """The rule's colour from the rulebook; a stable fallback for ids it does not know."""
    r = load_rulebook().get(rule)
    if r is not None:
        return r.colour
    h = int(hashlib.sha1(str(rule).encode("utf-8")).hexdigest(), 16)
    return _FALLBACK[h % len(_FALLBACK)]


def span_of(f, n: int) -> tuple[int, int]:
    """A finding's offsets clamped to a text of length n (end < start becomes empty)."""
    try:
        s, e = int(_get(f, "start", 0) or 0), int(_get(f, "end", 0) or 0)
    except (TypeError, ValueError):
        return 0, 0
    s = max(0, min(s, n))
    return s, max(s, min(e, n))


def has_span(f, n: int) -> bool:
    s, e = span_of(f, n)
    return s < e


def hover_text(f) -> str:
    """The hover text of a marked passage (plain text; escaped where it is used)."""
    rule = _get(f, "rule", "")
    sev = severity_label(f)
    out = f"[{sev}] {rule_label(rule)}（{rule}）：{_get(f, 'message', '')}"
    if _get(f, "clause"):
        out += f"\n依据：{_get(f, 'clause')}"
    if _get(f, "suggestion"):
        out += f"\n建议：{_get(f, 'suggestion')}"
    conf = _get(f, "confidence")
    if isinstance(conf, (int, float)):
        out += f"\n把握：{conf:.0%}"
    return out


def _mark_style(rule: str) -> str:
    return (f"background:{rule_colour(rule)};color:inherit;padding:1px 0;border-radius:3px;"
            "box-shadow:inset 0 -2px 0 rgba(0,0,0,.25);cursor:help")


def highlight_html(text: str, findings: Iterable, *, rules_filter: Iterable[str] | None = None) -> str:
    """The draft as escaped HTML, each finding with a span marked by one `<mark data-rule>`
    (the reason on hover, in its title attribute). `findings` are dicts or Finding objects;
    `rules_filter`, if given, keeps only those rule ids."""
    text = "" if text is None else str(text)
    n = len(text)
    keep = None if rules_filter is None else set(rules_filter)
    spans = []                                   # (id, start, end, finding)
    for i, f in enumerate(findings):
        if keep is not None and _get(f, "rule") not in keep:
            continue
        s, e = span_of(f, n)
        if s < e:
            spans.append((i, s, e, f))
    end_of = {i: e for i, _, e, _ in spans}
    opening: dict[int, list[tuple[int, int, int, object]]] = {}
    for sp in spans:
        opening.setdefault(sp[1], []).append(sp)
    for lst in opening.values():
        lst.sort(key=lambda sp: (-sp[2], sp[0]))           # the longer one outside
    by_id = {sp[0]: sp for sp in spans}

    def open_tag(i: int, primary: bool) -> str:
        _, s, e, f = by_id[i]
        rule = str(_get(f, "rule", ""))
        attrs = [f'class="{"rv-mark" if primary else "rv-mark rv-cont"}"']
        if primary:
            attrs.append(f'data-rule="{_e(rule)}"')
            attrs.append(f'data-severity="{_e(_get(f, "severity", ""))}"')
            attrs.append(f'data-start="{s}" data-end="{e}"')
        else:
            attrs.append(f'data-cont-rule="{_e(rule)}"')
        attrs.append(f'data-of="{i}"')
        attrs.append(f'title="{_e(hover_text(f))}"')
        attrs.append(f'style="{_mark_style(rule)}"')
        return "<mark " + " ".join(attrs) + ">"

    out = ['<div class="rv-doc" style="white-space:pre-wrap;word-break:break-word;line-height:1.9;'
           'font-size:1rem;padding:.75rem 1rem;border:1px solid rgba(128,128,128,.35);border-radius:6px">']
    stack: list[int] = []
    pos = 0
    for b in sorted({s for _, s, _, _ in spans} | {e for _, _, e, _ in spans}):
        out.append(_e(text[pos:b]))
        pos = b
        ending = [k for k in stack if end_of[k] == b]
        if ending:
            low = min(stack.index(k) for k in ending)
            reopen = [k for k in stack[low:] if end_of[k] != b]
            out.append("</mark>" * (len(stack) - low))
            del stack[low:]
            for k in reopen:
                out.append(open_tag(k, primary=False))
                stack.append(k)
        for sp in opening.get(b, []):
            out.append(open_tag(sp[0], primary=True))
            stack.append(sp[0])
    out.append(_e(text[pos:]))
    out.append("</mark>" * len(stack))                      # never left open, but be safe
    out.append("</div>")
    return "".join(out)


def report_html(text: str, findings: list, *, file: str = "") -> str:
    """The full-text view: `<div class="rv-report" data-file=… data-marked=N>`, the legend
    (rules with their counts) and the highlighted text. N is the number of `[data-rule]`
    elements inside, i.e. of findings with a passage."""
    n = len("" if text is None else str(text))
    marked = [f for f in findings if has_span(f, n)]
    counts: dict[str, int] = {}
    for f in marked:
        counts[_get(f, "rule", "")] = counts.get(_get(f, "rule", ""), 0) + 1
    return (f'<div class="rv-report" data-file="{_e(file)}" data-marked="{len(marked)}">'
            + legend_html(counts) + highlight_html(text, marked) + "</div>")


def legend_html(rules) -> str:
    """A key to the colours: rule ids (an iterable) or rule id -> count (a mapping)."""
    counts = rules if isinstance(rules, Mapping) else None
    items = []
    for rule in (list(rules) if counts is None else list(counts)):
        n = f" ×{counts[rule]}" if counts is not None else ""
        items.append(f'<span class="rv-key" data-legend="{_e(rule)}" title="{_e(rule)}" '
                     f'style="{_mark_style(rule)};padding:2px 6px;margin:0 6px 4px 0;display:inline-block">'
                     f'{_e(rule_label(rule))}{_e(n)}</span>')
    if not items:
        return '<div class="rv-legend" style="margin:.25rem 0 .5rem 0;opacity:.7">没有可标注的段落。</div>'
    return ('<div class="rv-legend" style="margin:.25rem 0 .5rem 0;line-height:2">'
            '<span style="margin-right:6px">图例：</span>' + "".join(items) + "</div>")


def _status_cell(status: str) -> str:
    bg, fg = STATUS_COLOURS.get(status, ("#eeeeee", "#404040"))
    label = f"{STATUS_SYMBOL.get(status, '')} {STATUS_ZH.get(status, status)}".strip()
    return (f'<td data-status="{_e(status)}" style="background:{bg};color:{fg};font-weight:600;'
            f'text-align:center;padding:4px 8px;white-space:nowrap">{_e(label)}</td>')


_TABLE = 'style="border-collapse:collapse;width:100%;font-size:.92rem"'
_TH = 'style="text-align:left;padding:4px 8px;border-bottom:2px solid rgba(128,128,128,.5)"'
_TD = 'style="padding:4px 8px;border-bottom:1px solid rgba(128,128,128,.25)"'


def areas_html(areas: list[dict]) -> str:
    """The pack's areas with their status in colour (covered green, thin amber, missing red),
    the number of problem sentences as a bar and the concrete ones."""
    if not areas:
        return '<div class="rv-areas" style="opacity:.7">此类材料不检查对照方面。</div>'
    most = max([a.get("problems") or 0 for a in areas] + [1])
    rows = []
    for a in areas:
        p = a.get("problems")
        bar = ""
        if isinstance(p, int):
            w = round(100 * p / most)
            bar = (f'<div style="background:rgba(128,128,128,.15);border-radius:3px;min-width:80px">'
                   f'<div style="width:{w}%;background:#5c7cfa;height:10px;border-radius:3px"></div></div>')
        title = a.get("short") or a.get("title", "")
        rows.append(f'<tr data-area="{_e(a.get("id"))}"><td {_TD}>{_e(a.get("id"))}</td>'
                    f'<td {_TD} title="{_e(a.get("title", ""))}">{_e(title)}</td>'
                    f'{_status_cell(a.get("status", ""))}'
                    f'<td {_TD}>{bar}</td><td {_TD}>{_e("" if p is None else p)}</td>'
                    f'<td {_TD}>{_e(a.get("concrete", ""))}</td></tr>')
    return (f'<table class="rv-areas" {_TABLE}><thead><tr><th {_TH}>#</th><th {_TH}>方面</th>'
            f'<th {_TH}>状态</th><th {_TH}>问题句</th><th {_TH}></th><th {_TH}>具体事例</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def heatmap_html(members: list[tuple[str, list[dict]]], areas: list[dict]) -> str:
    """Areas (rows) × members (columns), each cell the member's status for that area.
    `members` is [(column label, report areas)]; `areas` the pack's [{"id", "short"|"title"}]."""
    if not members or not areas:
        return '<div class="rv-heatmap" style="opacity:.7">没有可比较的材料。</div>'
    head = "".join(f'<th {_TH}>{_e(label)}</th>' for label, _ in members)
    rows = []
    for a in areas:
        cells = []
        for _, rep_areas in members:
            st = next((x.get("status", "") for x in rep_areas if x.get("id") == a.get("id")), None)
            cells.append(_status_cell(st) if st else '<td style="padding:4px 8px;text-align:center">—</td>')
        rows.append(f'<tr><td {_TD}>{_e(a.get("id"))}. {_e(a.get("short") or a.get("title", ""))}</td>'
                    + "".join(cells) + "</tr>")
    return (f'<div style="overflow-x:auto"><table class="rv-heatmap" {_TABLE}><thead><tr>'
            f'<th {_TH}>方面 \\ 成员</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


def checklist_html(parts: list[tuple[str, bool]]) -> str:
    """The required parts: [(title, present)]."""
    if not parts:
        return '<div class="rv-checklist" style="opacity:.7">此类材料不检查结构。</div>'
    items = []
    for title, ok in parts:
        colour = "#2b8a3e" if ok else "#c92a2a"
        items.append(f'<li data-present="{"yes" if ok else "no"}" style="list-style:none;margin:2px 0">'
                     f'<span style="color:{colour};font-weight:700">{"✔" if ok else "✘"}</span> '
                     f'{_e(title)}{"" if ok else "（缺少）"}</li>')
    return f'<ul class="rv-checklist" style="padding-left:0;margin:0">{"".join(items)}</ul>'


def finding_html(f, text: str, *, dismissed: bool = False) -> str:
    """One finding: severity, line, the quoted passage, message, plan clause, suggestion,
    confidence. Greyed and struck through when the reviewer dismissed it."""
    text = "" if text is None else str(text)
    s, e = span_of(f, len(text))
    sev = _get(f, "severity", "")
    where = f"第{text.count(chr(10), 0, s) + 1}行" if s < e else "全文"
    quote = " ".join(text[s:e].split())
    if len(quote) > 160:
        quote = quote[:159] + "…"
    conf = _get(f, "confidence")
    extra = ""
    if _get(f, "with"):
        sim = _get(f, "similarity")
        extra = f"（与 {_e(_get(f, 'with'))} 雷同" + (f"，相似度 {sim:.0%}" if isinstance(sim, (int, float)) else "") + "）"
    style = "opacity:.45;text-decoration:line-through" if dismissed else ""
    parts = [f'<div class="rv-finding" data-finding-rule="{_e(_get(f, "rule", ""))}" '
             f'data-dismissed="{"yes" if dismissed else "no"}" style="margin:.25rem 0 .1rem 0;{style}">',
             f'<span style="color:{SEVERITY_COLOURS.get(sev, "#404040")};font-weight:700">'
             f'[{_e(severity_label(f))}]</span> <span style="opacity:.75">{_e(where)}</span> '
             f'{_e(_get(f, "message", ""))}{extra}']
    if quote:
        parts.append(f'<blockquote style="margin:.3rem 0 .3rem .2rem;padding:.2rem .6rem;'
                     f'border-left:4px solid {rule_colour(_get(f, "rule", ""))}">{_e(quote)}</blockquote>')
    parts.append(f'<div><b>依据</b>：{_e(_get(f, "clause", ""))}</div>')
    parts.append(f'<div><b>修改建议</b>：{_e(_get(f, "suggestion", ""))}</div>')
    if isinstance(conf, (int, float)):
        parts.append(f'<div style="opacity:.75">把握：{conf:.0%}</div>')
    if dismissed:
        parts.append('<div style="opacity:.9">（已不采纳，不计入下载）</div>')
    parts.append("</div>")
    return "".join(parts)
