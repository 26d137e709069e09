"""Document type detection (SPEC §1): self / team / critique / plan."""
from __future__ import annotations

import re

_TITLE_RULES = [   # first match wins: 相互批评意见 is no 意见 (plan)
    ("critique", r"批评意见|相互批评|批评与自我批评意见"),
    ("self", r"发言提纲|个人.{0,6}(对照|检视|检查)|检视剖析|个人发言|对照检查发言|成员.{0,20}(提纲|材料)"),
    ("team", r"(领导班子|党组|党委|班子).{0,20}对照检查材料|班子对照检查"),
    ("plan", r"(方案|通知|安排)$|实施方案|工作方案|会议方案|实施意见"),
]


def detect_doc_type(text: str) -> str:
    head = text[:400]
    title = next((ln for ln in head.splitlines() if ln.strip()), "")
    title = re.sub(r"[#*\s]", "", title)
    for kind, rx in _TITLE_RULES:
        if re.search(rx, title):
            return kind
    return _by_content(text)


def _by_content(text: str) -> str:
    sample = text[:20000]
    n = max(len(sample), 1)
    plan = len(re.findall(r"参会人员|会议时间|会前准备|会议议程|会议程序|重点从以下|各支部|要求如下|召开时间", sample))
    critique = len(re.findall(r"同志[：:，,]|希望.{0,6}同志|对.{1,4}同志的批评", sample))
    first = len(re.findall(r"我|本人|自己", sample)) / n * 1000
    team = len(re.findall(r"领导班子|班子|党组|党委|我们", sample)) / n * 1000
    if plan >= 3:
        return "plan"
    if critique >= 3:
        return "critique"
    if team > 2 * max(first, 0.5):
        return "team"
    return "self"
