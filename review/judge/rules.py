"""Rule-based sentence judgement: function (SPEC §3), area (§4) and specificity (§5).

`RuleClassifier` has the scikit-learn shape (fit / predict, no hidden state) so that a
learned model can replace or combine with it. Its cue lexicons live in lang/zh/functions.yaml
and in each pack's area cues.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .cues import cue_pattern, has_cue, hits_per_line, joined_lines, prime_cues
from .specificity import specificity
from ..lang.zh.outline import strip_marker
from ..packs import Pack


@dataclass
class SentenceInput:
    text: str
    section: str
    doc_type: str
    is_title: bool = False
    heading_level: int = 99     # numbering level of a title sentence
    para: int = -1              # paragraph index (sentences of one paragraph share context)
    opens_section: bool = False # the heading that opens a part (一、存在的主要问题)
    tokens: list[str] | None = None  # its words from the document's segmentation


@dataclass
class Judgement:
    function: str
    area: int
    specificity: float
    cues: tuple[str, ...] = ()   # which cue families fired, for explanations
    confidence: float | None = None  # the model's probability for its function (None: rules)
    area_from_heading: bool = False  # the area was announced by the sub-heading above it


# ---- function -------------------------------------------------------------------------

def predict_function(x: SentenceInput, prev: str = "") -> tuple[str, tuple[str, ...]]:
    """Function of one sentence; `prev` is the function of the sentence before it in the
    same paragraph ("" at a paragraph start)."""
    t = strip_marker(x.text)
    if not t:
        return "other", ()
    if x.opens_section:
        return "other", ("title",)
    if x.doc_type == "critique":
        return _critique_function(t, prev)
    if has_cue("meta", t) and len(t) < 80:
        return "other", ("meta",)
    if x.section == "causes":
        return _cause_function(t, x)
    if x.section == "measures":
        return "measure", ()
    if x.section == "problems":
        return _problem_function(t, x, prev)
    return "other", ()


def _problem_function(t: str, x: SentenceInput, prev: str) -> tuple[str, tuple[str, ...]]:
    short = has_cue("shortcoming", t)
    if x.is_title:
        # "（一）带头…方面" is a heading; "一是学习系统性不够" names a problem
        if short and not re.search(r"方面[。：:]?$", t):
            return "problem", ("shortcoming",)
        return "other", ("title",)
    deflect_kind = "deflect_team" if x.doc_type == "team" else "deflect_self"
    if short and _deflects(t, deflect_kind):
        return "deflect", (deflect_kind,)
    if short:
        return "problem", ("shortcoming",)
    if has_cue("commitment", t):
        return "measure", ("commitment",)
    if has_cue("praise", t):
        return "praise", ("praise",)
    if has_cue("reasoning", t):
        return "reasoning", ("reasoning",)
    # no cue: first-person talk of doing things is achievement talk
    if has_cue("ownership", t) and re.search(r"坚持|认真|积极|主动|努力|完成|参加|参与", t):
        return "praise", ("ownership",)
    # no cue either way: a sentence continues the paragraph's run of reasoning or pledges
    if prev == "reasoning" and not has_cue("ownership", t):
        return "reasoning", ("continues",)
    if prev == "measure":
        return "measure", ("continues",)
    return "problem", ()


def _deflects(t: str, kind: str) -> bool:
    """The shortcoming is put on others: a deflection cue stands as the subject, not as the
    object of the writer's own oversight (对有的干部管得不严 is owned)."""
    m = cue_pattern(kind).search(t)
    if m is None:
        return False
    before = t[: m.start()]
    if re.search(r"(对|对于|向|帮|帮助|督促|指导|教育|管理|要求|提醒|批评)$", before):
        return False
    if has_cue("ownership", before) or re.search(r"班子|党组|党委|我们", before):
        return False
    # the writer's own part must be more than a tail clause ("……，对此我督促不够")
    own = cue_pattern("ownership").search(t, m.end())
    return own is None or own.start() > 0.6 * len(t)


def _cause_function(t: str, x: SentenceInput) -> tuple[str, tuple[str, ...]]:
    objective = has_cue("objective", t)
    subjective = has_cue("subjective", t) or has_cue("ownership", t)
    if objective and not (subjective and re.search(r"主观|思想上|自身|放松|认识", t)):
        return "cause_objective", ("objective",)
    if not x.is_title and not has_cue("ownership", t) and not has_cue("shortcoming", t) and has_cue("reasoning", t):
        return "reasoning", ("reasoning",)
    return "cause_subjective", ()


def _critique_function(t: str, prev: str = "") -> tuple[str, tuple[str, ...]]:
    """A criticism names the colleague's problem; a hope or suggestion standing alone is
    `hope`, but one that follows a problem named in the same item is that item's measure."""
    if has_cue("meta", t) and len(t) < 60:
        return "other", ("meta",)
    if re.match(r"^(对|给|致)?[^，,。]{1,8}同志(（[^）]{0,24}）|\([^)]{0,24}\))?(提)?(的)?(批评意见|意见)?[：:]?$", t) or len(t) <= 6:
        return "other", ("title",)
    short = has_cue("shortcoming", t)
    if has_cue("hope", t) or has_cue("suggestion", t):
        if prev in ("problem", "measure") or (short and not re.match(r"^(希望|期望|期待|建议|望)", t)):
            return ("measure", ("follows-problem",)) if not short else ("problem", ("shortcoming",))
        return "hope", ("hope",)
    if short:
        return "problem", ("shortcoming",)
    if has_cue("praise", t) or re.search(r"(能力|水平|素质|作风)(强|高|好|过硬|扎实)|成绩|突出|优秀|值得学习", t):
        return "praise", ("praise",)
    return "problem", ()


# ---- area -----------------------------------------------------------------------------

_AREA_CACHE: dict[str, list] = {}


def _area_patterns(pack: Pack):
    if pack.id in _AREA_CACHE:
        return _AREA_CACHE[pack.id]
    out = []
    for a in pack.areas:
        cues = [(re.compile(rx), w) for rx, w in a.cues.items()]
        heads = re.compile("|".join(a.heading_cues)) if a.heading_cues else None
        out.append((a.id, cues, heads))
    _AREA_CACHE[pack.id] = out
    return out


def area_scores(text: str, pack: Pack) -> dict[int, float]:
    scores = {}
    for aid, cues, _ in _area_patterns(pack):
        s = sum(w for rx, w in cues if rx.search(text))
        if s:
            scores[aid] = s
    return scores


def area_scores_many(texts: list[str], pack: Pack) -> list[dict[int, float]]:
    """area_scores for many sentences: one pass of each cue over them all."""
    if any("\n" in t for t in texts):
        return [area_scores(t, pack) for t in texts]
    joined, starts = joined_lines(texts)
    out: list[dict[int, float]] = [{} for _ in texts]
    for aid, cues, _ in _area_patterns(pack):
        for rx, w in cues:
            for i in hits_per_line(rx, joined, starts):
                out[i][aid] = out[i].get(aid, 0.0) + w
    return out


def heading_area(text: str, pack: Pack) -> int:
    """Area a sub-heading announces, or 0 when it names none or several (a mixed heading
    passes no area to the sentences under it)."""
    t = strip_marker(text)
    hits = {}
    for aid, _, heads in _area_patterns(pack):
        if heads is not None and heads.search(t):
            hits[aid] = len(heads.findall(t))
    if len(hits) == 1:
        return next(iter(hits))
    if len(hits) > 1:
        top = sorted(hits.values(), reverse=True)
        return max(hits, key=hits.get) if top[0] >= 3 * top[1] else 0
    sc = area_scores(t, pack)
    return max(sc, key=sc.get) if sc and max(sc.values()) >= 2 else 0


# ---- the classifier -------------------------------------------------------------------

class RuleClassifier:
    """Rules only. fit() is a no-op kept for the scikit-learn shape."""

    def __init__(self, pack: Pack):
        self.pack = pack

    def fit(self, X=None, y=None):
        return self

    def predict(self, items: list[SentenceInput]) -> list[Judgement]:
        out: list[Judgement] = []
        stripped = [strip_marker(x.text) for x in items]
        prime_cues(stripped)
        own_scores = area_scores_many(stripped, self.pack)
        area_by_level: dict[int, int] = {}     # heading level -> area it announced
        prev_section = None
        prev_area = 0
        for x in items:
            if x.section != prev_section:
                area_by_level, prev_area, prev_section = {}, 0, x.section
            same_para = out and items[len(out) - 1].para == x.para and x.para >= 0
            fn, cues = predict_function(x, out[-1].function if same_para else "")
            own = own_scores[len(out)]
            if x.is_title:
                ha = heading_area(x.text, self.pack)
                for lvl in [k for k in area_by_level if k >= x.heading_level]:
                    del area_by_level[lvl]
                if ha:
                    area_by_level[x.heading_level] = ha
            inherited = area_by_level[max(area_by_level)] if area_by_level else 0
            area = self._pick_area(own, inherited, prev_area)
            if fn in ("problem", "deflect", "measure", "cause_subjective") or x.is_title:
                prev_area = area or prev_area
            out.append(Judgement(fn, area, specificity(x.text), cues,
                                 area_from_heading=bool(inherited) and area == inherited))
        return out

    @staticmethod
    def _pick_area(own: dict[int, float], inherited: int, prev: int) -> int:
        scores = dict(own)
        if inherited:
            scores[inherited] = scores.get(inherited, 0) + 3.0
        elif prev:
            scores[prev] = scores.get(prev, 0) + 1.0
        if not scores:
            return inherited or prev
        return max(scores, key=scores.get)
