"""batch.copied: passages shared between drafts of one batch (review.copies)."""
from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from review.checks.copies import Boilerplate, CopiedPassage, find_copies

CORPUS = Path(__file__).resolve().parent.parent / "review" / "corpora"

# Our own wording, written for these tests.
PLANTED = ("去年九月我牵头推进城东片区老旧小区加装电梯，先后接到居民反映工期拖延的来信四封，"
           "我只在信上批示转交街道办理，没有到现场召集施工单位和住户一起协调，致使两栋楼的电梯到年底还没开工，"
           "群众对此意见很大，说明我在联系服务群众上浮在面上、担当作为不够。")
# the same paragraph lightly edited (three characters changed, far apart)
PLANTED_EDITED = PLANTED.replace("来信四封", "来信三封").replace("两栋楼", "三栋楼").replace("意见很大", "意见较大")
BOILER = "我们要把每一项整改任务都细化到具体责任人和完成时限，做到件件有着落、事事有回音。"
TITLE = "三、在带头落实基层减负要求、改进调查研究方式、推动群众反映强烈的实际问题见到成效方面存在的问题"

# Standard formulations quoted verbatim by independent writers (what the batch passes as
# `ignore`, alongside area titles, plan clauses and the terms list): two corpus sentences
# in two different drafts share this one, a legitimate quotation, not copying.
STANDARD = ["中国共产党为什么能、马克思主义为什么行、中国特色社会主义为什么好"]

_KEEP = re.compile(r"[^\W_]+")


def norm(s: str) -> str:
    return "".join(_KEEP.findall(s)).lower()


def corpus_sentences() -> list[str]:
    seen, out = set(), []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                t = json.loads(line)["text"].strip()
                if t and t not in seen:
                    seen.add(t)
                    out.append(t)
    return out


def independent_drafts(n: int = 100, per: int = 60) -> list[list[str]]:
    """n drafts as lists of paragraphs; no corpus sentence is used in two drafts."""
    sents = corpus_sentences()
    rng = random.Random(20240517)
    rng.shuffle(sents)
    drafts = []
    for d in range(n):
        mine = sents[d::n][:per]
        assert len(mine) == per
        drafts.append(["".join(mine[i:i + 15]) for i in range(0, per, 15)])
    return drafts


def as_docs(drafts: list[list[str]]) -> list[tuple[str, str]]:
    return [(f"draft{d:03d}.docx", "\n\n".join(paras)) for d, paras in enumerate(drafts)]


def generated_drafts(n: int, size: int = 5000, seed: int = 11) -> list[tuple[str, str]]:
    """n drafts of about `size` characters recombined from corpus sentences with replacement."""
    sents = corpus_sentences()
    rng = random.Random(seed)
    out = []
    for d in range(n):
        paras, para, length = [], [], 0
        while length < size:
            s = rng.choice(sents)
            para.append(s)
            length += len(s)
            if len(para) == 12:
                paras.append("".join(para))
                para = []
        paras.append("".join(para))
        out.append((f"gen{d:04d}.docx", "\n\n".join(paras)))
    return out


@pytest.fixture(scope="module")
def base():
    return independent_drafts()


def overlap(a0, a1, b0, b1) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def test_independent_drafts_share_nothing(base):
    docs = as_docs(base)
    passages, _ = find_copies(docs, STANDARD)
    assert passages == []
    # without the ignore list the only passage reported is that standard quotation
    # (with a shared character before it: ……认识到，中国共产党 / ……领悟到中国共产党)
    text = dict(docs)
    found, _ = find_copies(docs)
    quote = norm(STANDARD[0])
    assert len(found) == 2
    assert all(quote in norm(text[p.file][p.start:p.end]) and len(norm(text[p.file][p.start:p.end])) <= len(quote) + 2
               for p in found)


def test_planted_paragraph_is_found_for_that_pair_only(base):
    drafts = [list(p) for p in base]
    drafts[17].insert(1, PLANTED)
    drafts[63].insert(3, PLANTED_EDITED)
    docs = as_docs(drafts)
    text = dict(docs)
    f17, f63 = docs[17][0], docs[63][0]
    t0 = time.perf_counter()
    passages, _ = find_copies(docs, STANDARD)
    print(f"\n100 independent drafts ({sum(len(t) for _, t in docs)} chars): {time.perf_counter() - t0:.3f} s")
    assert {(p.file, p.other) for p in passages} == {(f17, f63), (f63, f17)}
    assert len(passages) == 2
    for p in passages:
        planted = PLANTED if p.file == f17 else PLANTED_EDITED
        i = text[p.file].index(planted)
        assert overlap(p.start, p.end, i, i + len(planted)) >= 0.8 * len(planted)
        assert p.end - p.start <= len(planted) + 5
        assert 0.8 <= p.similarity <= 1.0
        o = PLANTED_EDITED if p.file == f17 else PLANTED
        j = text[p.other].index(o)
        assert overlap(p.other_start, p.other_end, j, j + len(o)) >= 0.8 * len(o)
    a = next(p for p in passages if p.file == f17)
    b = next(p for p in passages if p.file == f63)
    assert (a.start, a.end, a.other_start, a.other_end) == (b.other_start, b.other_end, b.start, b.end)


def test_sentence_in_five_drafts_is_boilerplate_not_copying(base):
    drafts = [list(p) for p in base]
    holders = [2, 11, 40, 77, 90]
    for n, d in enumerate(holders):
        drafts[d][n % 4] = BOILER + drafts[d][n % 4]
    docs = as_docs(drafts)
    passages, boiler = find_copies(docs, STANDARD)
    assert passages == []
    hits = [b for b in boiler if norm(BOILER) in norm(b.text)]
    assert len(hits) == 1
    assert isinstance(hits[0], Boilerplate)
    assert hits[0].count == 5
    assert hits[0].files == [docs[d][0] for d in holders]
    # with a higher threshold the same sentence is copying among the five
    passages, boiler = find_copies(docs, STANDARD, boilerplate_docs=6)
    assert {(p.file, p.other) for p in passages} == {(docs[a][0], docs[b][0]) for a in holders for b in holders if a != b}
    assert not [b for b in boiler if norm(BOILER) in norm(b.text)]


def test_ignored_wording_is_never_reported(base):
    drafts = [list(p) for p in base]
    drafts[5].insert(2, TITLE)
    drafts[50].insert(0, TITLE)
    docs = as_docs(drafts)
    found, _ = find_copies(docs, STANDARD)            # without the title in `ignore` it is a shared passage
    assert {(p.file, p.other) for p in found} == {(docs[5][0], docs[50][0]), (docs[50][0], docs[5][0])}
    passages, boiler = find_copies(docs, ignore=STANDARD + ["某段无关的规定", TITLE])
    assert passages == []
    assert not [b for b in boiler if norm(TITLE)[:20] in norm(b.text)]


def test_offsets_map_back_through_punctuation_and_whitespace():
    a = "前文不同的内容甲乙丙丁。\n我们  要坚决克服形式主义、官僚主义，切实为基层减负松绑，让干部有更多时间抓落实！其后各不相同的话语"
    b = "另起一行别的话。我们要坚决克服形式主义,官僚主义;切实为基层减负松绑\n让干部有更多时间 抓落实。再后面还有别的东西"
    docs = [("a.docx", a), ("b.docx", b)]
    passages, _ = find_copies(docs)
    assert len(passages) == 2
    pa, pb = passages
    assert isinstance(pa, CopiedPassage)
    assert (pa.file, pa.other, pb.file, pb.other) == ("a.docx", "b.docx", "b.docx", "a.docx")
    assert a[pa.start:pa.end].startswith("我们") and a[pa.start:pa.end].endswith("抓落实")
    assert b[pb.start:pb.end].startswith("我们") and b[pb.start:pb.end].endswith("抓落实")
    assert norm(a[pa.start:pa.end]) == norm(b[pb.start:pb.end]) == norm("我们要坚决克服形式主义官僚主义切实为基层减负松绑让干部有更多时间抓落实")
    assert (pa.other_start, pa.other_end) == (pb.start, pb.end)
    assert pa.similarity == pb.similarity == 1.0
    # full-width letters and digits match their ASCII forms
    c = "开头甲。今年开展ＸＸ专项检查１２次，发现问题３５个，已整改３０个，剩余５个正在推进。结尾乙"
    d = "开头丙。今年开展xx专项检查12次，发现问题35个，已整改30个，剩余5个正在推进。收尾丁"
    passages, _ = find_copies([("c", c), ("d", d)])
    assert [(p.file, c[p.start:p.end] if p.file == "c" else d[p.start:p.end]) for p in passages] == [
        ("c", "今年开展ＸＸ专项检查１２次，发现问题３５个，已整改３０个，剩余５个正在推进"),
        ("d", "今年开展xx专项检查12次，发现问题35个，已整改30个，剩余5个正在推进")]


def test_min_chars():
    a = "开头甲。切实为基层减负松绑让干部有更多时间。结尾乙"   # 20 characters shared
    b = "开头丙。切实为基层减负松绑让干部有更多时间。结尾丁"
    assert find_copies([("a", a), ("b", b)])[0] == []
    assert len(find_copies([("a", a), ("b", b)], min_chars=15)[0]) == 2


def test_deterministic(base):
    drafts = [list(p) for p in base]
    drafts[17].insert(1, PLANTED)
    drafts[63].insert(3, PLANTED_EDITED)
    docs = as_docs(drafts) + generated_drafts(20, 2000)
    r1 = find_copies(docs)
    r2 = find_copies(list(docs))
    assert r1 == r2
    assert r1[0] and r1[1]
    # and across processes with different string-hash seeds
    code = ("import sys, json; from review.checks.copies import find_copies; "
            "docs = json.load(sys.stdin); p, b = find_copies([tuple(d) for d in docs]); "
            "print(json.dumps([[x.__dict__ for x in p], [x.__dict__ for x in b]], ensure_ascii=False))")
    outs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        r = subprocess.run([sys.executable, "-c", code], input=json.dumps(docs, ensure_ascii=False),
                           capture_output=True, text=True, env=env, check=True,
                           cwd=str(Path(__file__).resolve().parent.parent))
        outs.append(json.loads(r.stdout))
    assert outs[0] == outs[1] == [[x.__dict__ for x in r1[0]], [x.__dict__ for x in r1[1]]]


def test_scaling():
    small, large = generated_drafts(100), generated_drafts(1000)
    find_copies(generated_drafts(5))                  # warm up (lookup table, imports)
    t_small = min(_timed(small) for _ in range(3))
    t_large = _timed(large)
    ratio = t_large / t_small
    print(f"\nfind_copies: 100 drafts ({sum(len(t) for _, t in small)} chars) {t_small:.3f} s; "
          f"1000 drafts ({sum(len(t) for _, t in large)} chars) {t_large:.3f} s; ratio {ratio:.1f}")
    assert ratio < 30


def _timed(docs) -> float:
    t = time.perf_counter()
    find_copies(docs)
    return time.perf_counter() - t
