"""Chinese labels of the domain's closed vocabularies, for every renderer. A rule's own
label and colour are in the rulebook (RuleSet.label, RuleSet.colour)."""
from __future__ import annotations

from ..checks.tiers import is_uncertain

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
UNCERTAIN_ZH = "待核"          # the tier of findings below their rule's calibrated threshold
UNCERTAIN_NOTE = "待核：把握不足，未计入评分，请审阅人判断"


def severity_label(f) -> str:
    """错误 / 警告 / 提示, or 待核 for a finding of the uncertain tier (dict or Finding)."""
    if is_uncertain(f):
        return UNCERTAIN_ZH
    sev = (f.get("severity") if isinstance(f, dict) else f.severity) or ""
    return SEVERITY_ZH.get(sev, sev)
STATUS_ZH = {"covered": "已覆盖", "thin": "较空", "missing": "缺失", "listed": "方案所列"}
TYPE_ZH = {"self": "个人发言提纲/对照检查材料", "team": "领导班子对照检查材料",
           "critique": "相互批评意见", "plan": "会议方案"}
SCORE_ZH = {"overall": "总分", "coverage": "覆盖", "structure": "结构", "specificity": "具体度", "patterns": "规范性"}
