"""terms.nonstandard: lang/zh/terms.yaml, review/checks/terms.py and the jieba user dictionary."""

from __future__ import annotations

from pathlib import Path

import pytest

from review.checks.terms import (
    TermHit,
    TermsFileError,
    find_nonstandard,
    load_terms,
)

from review.lang.zh import terms_path, user_dict_path

DEFAULT_TERMS_PATH = terms_path()
USERDICT = user_dict_path()

# Ordinary, correctly written Party prose (written for this test), dense with standard
# formulations and with their legitimate near neighbours: 形式多样, 历史时刻, 历史使命,
# 主要责任, 监管责任, 个人主义, 四个方面, 两个确保, 十九届五中全会, 奋斗的精神,
# 组织生活时, 全面从严治警 …
CLEAN_PROSE = (
    "一年来，我坚持把学习贯彻习近平新时代中国特色社会主义思想作为首要政治任务，认真学习"
    "党的十九届六中全会精神和党的十九届五中全会精神，深刻领会“两个确立”的决定性意义，"
    "不断增强“四个意识”、坚定“四个自信”、做到“两个维护”，自觉把“国之大者”记在心上。"
    "在这一重要历史时刻，我们肩负着光荣的历史使命，要从各个历史时期的奋斗历程中汲取力量，"
    "保持艰苦奋斗的精神，发扬斗争精神，增强斗争本领。\n"
    "对照检查中，我重点查摆了形式主义、官僚主义、享乐主义和奢靡之风方面的问题，也反思了"
    "个人主义、本位主义和好人主义的表现。开展活动时形式多样，但有时注重形式、忽视实效。"
    "对分管领域的主体责任、监督责任落实不够到位，对主要责任、监管责任和领导责任的区分也"
    "不够清楚，落实“一岗双责”存在薄弱环节。\n"
    "今后要落实中央八项规定精神，坚决反对“四风”，防止层层加码、“一刀切”，切实为基层减负。"
    "要严肃党内政治生活，坚持民主集中制，开展批评和自我批评，敢于红脸出汗、咬耳扯袖。"
    "要以人民为中心，围绕群众急难愁盼问题深入调研，真正为群众办实事、解难题，践行全心全意"
    "为人民服务的根本宗旨。要学史明理、学史增信、学史崇德、学史力行，发挥党员先锋模范作用，"
    "做到忠诚干净担当。\n"
    "在参加双重组织生活时，我按时参加支部组织生活会，认真开展谈心谈话，广泛征求意见，建立"
    "问题清单和整改清单，把整改落实贯穿全过程。在工作中我们既要看到四个方面的成绩，也要看到"
    "两个确保的任务依然繁重，坚持全面从严治党，同时支持公安机关全面从严治警。\n"
    "要贯彻新发展理念，构建新发展格局，推动高质量发展，增强忧患意识，坚持底线思维，保持战略"
    "定力，在大是大非面前敢于斗争、善于斗争。要坚定理想信念，加强党性修养，严守政治纪律和"
    "政治规矩，做到廉洁自律，推进党风廉政建设，履职尽责、担当作为，求真务实、真抓实干，坚定"
    "信仰信念信心，以钉钉子精神抓好意识形态工作责任制的落实，如实报告个人有关事项。\n"
)


@pytest.fixture(scope="module")
def table():
    return load_terms()


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "terms.yaml"
    p.write_text(body, encoding="utf-8")
    return p


# ------------------------------------------------------------------ table and loading


def test_default_table_is_broad_and_cached(table):
    assert len(table) >= 150
    assert load_terms() is table
    assert load_terms(DEFAULT_TERMS_PATH) is table
    for term in [
        "四个意识", "两个维护", "两个确立", "国之大者", "中央八项规定", "四风", "形式主义",
        "一岗双责", "新时代中国特色社会主义思想", "忠诚干净担当", "忠诚干净",
        "历史时期", "表彰大会", "先锋模范作用", "先锋模范", "我为群众办实事", "急难愁盼",
        "贯彻落实", "坚定信仰信念信心", "政治纪律和政治规矩", "意识形态工作责任制",
    ]:
        assert term in table.standards, term
    assert table.wrong_forms["四种意识"] == "四个意识"
    assert table.wrong_forms["中央八条规定"] == "中央八项规定"


def test_unknown_key_in_entry_is_rejected(tmp_path):
    p = _write(
        tmp_path,
        "terms:\n"
        "  - standard: 四个意识\n"
        "  - standard: 形式主义\n"
        "    wrng: [形势主义]\n",
    )
    with pytest.raises(TermsFileError) as exc:
        load_terms(p)
    msg = str(exc.value)
    assert str(p) in msg
    assert "terms[1]" in msg and "形式主义" in msg
    assert "unknown key 'wrng'" in msg


def test_unknown_top_level_key_is_rejected(tmp_path):
    p = _write(tmp_path, "terms:\n  - standard: 四个意识\nextra: 1\n")
    with pytest.raises(TermsFileError, match="unknown key 'extra'") as exc:
        load_terms(p)
    assert str(p) in str(exc.value)


def test_duplicate_standard_is_rejected(tmp_path):
    p = _write(
        tmp_path,
        "terms:\n"
        "  - standard: 四个意识\n"
        "  - standard: 两个维护\n"
        "  - standard: 四个意识\n"
        "    wrong: [四种意识]\n",
    )
    with pytest.raises(TermsFileError) as exc:
        load_terms(p)
    msg = str(exc.value)
    assert str(p) in msg
    assert "terms[2]" in msg and "四个意识" in msg and "duplicate" in msg
    assert "terms[0]" in msg


@pytest.mark.parametrize(
    "body, needle",
    [
        ("terms:\n  - standard: 四个意识\n    wrong: [四个意识]\n", "itself a standard"),
        ("terms:\n  - standard: 四个意识\n  - standard: 四个自信\n    wrong: [四个意识]\n",
         "itself a standard"),
        ("terms:\n  - standard: 四个意识\n    wrong: [四种意识]\n"
         "  - standard: 四个自信\n    wrong: [四种意识]\n", "already listed"),
        ("terms:\n  - standard: 四\n", "at least 2"),
        ("terms:\n  - standard: 四个 意识\n", "whitespace"),
        ("terms:\n  - wrong: [四种意识]\n", "standard"),
        ("terms:\n  - standard: 4444\n", "string"),
        ("- 四个意识\n", "mapping"),
        ("terms: [\n", "YAML"),
    ],
)
def test_other_invalid_files_name_the_file(tmp_path, body, needle):
    p = _write(tmp_path, body)
    with pytest.raises(TermsFileError, match=needle) as exc:
        load_terms(p)
    assert str(p) in str(exc.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(TermsFileError, match="cannot read"):
        load_terms(tmp_path / "nope.yaml")


def test_custom_table_is_used(tmp_path):
    p = _write(
        tmp_path,
        "terms:\n"
        "  - standard: 主题教育\n"
        "    wrong: [主体教育]\n"
        "allow: [主题教育月]\n",
    )
    t = load_terms(p)
    assert find_nonstandard("开展主体教育活动", t) == [
        TermHit(2, 6, "主体教育", "主题教育", "known")
    ]


# ------------------------------------------------------------------- known wrong forms


def test_known_forms_with_exact_offsets(table):
    text = "全体党员要增强四种意识，落实中央八条规定精神，反对形势主义。"
    hits = find_nonstandard(text, table)
    assert hits == [
        TermHit(7, 11, "四种意识", "四个意识", "known"),
        TermHit(14, 20, "中央八条规定", "中央八项规定", "known"),
        TermHit(25, 29, "形势主义", "形式主义", "known"),
    ]
    for h in hits:
        assert text[h.start : h.end] == h.found


def test_known_form_inside_a_correct_longer_phrase_is_not_flagged(table):
    # 四种意识形态 is listed as a legitimate phrase containing the wrong form 四种意识.
    assert find_nonstandard("报告分析了四种意识形态的主要表现。", table) == []
    assert find_nonstandard("要增强四种意识。", table) == [
        TermHit(3, 7, "四种意识", "四个意识", "known")
    ]


# -------------------------------------------------------------------------- slips


@pytest.mark.parametrize(
    "slip, standard",
    [
        ("形式丰义", "形式主义"),
        ("历中时期", "历史时期"),
        ("表彭大会", "表彰大会"),
        ("先锋漠范", "先锋模范"),
        ("忠诫干净", "忠诚干净"),
        ("忠诫干净担当", "忠诚干净担当"),
        ("学史増信", "学史增信"),
        ("意识形态工作贵任制", "意识形态工作责任制"),
    ],
)
def test_one_character_slips(table, slip, standard):
    prefix = "我们一定要"
    text = f"{prefix}{slip}，不断取得新进展。"
    assert find_nonstandard(text, table) == [
        TermHit(len(prefix), len(prefix) + len(slip), slip, standard, "slip")
    ]
    # also at the very start and end of the text
    assert find_nonstandard(slip, table) == [TermHit(0, len(slip), slip, standard, "slip")]


def test_slip_in_long_term_reports_longest_only(table):
    hits = find_nonstandard("做到忠诫干净担当", table)
    assert hits == [TermHit(2, 8, "忠诫干净担当", "忠诚干净担当", "slip")]


def test_several_hits_in_order(table):
    text = "反对形式丰义，在不同历中时期，增强四种意识。"
    assert [(h.start, h.found, h.kind) for h in find_nonstandard(text, table)] == [
        (2, "形式丰义", "slip"),
        (10, "历中时期", "slip"),
        (17, "四种意识", "known"),
    ]


# ------------------------------------------------- invisible characters inside a term

INVISIBLE = {
    "zero-width space": "\u200b", "zero-width non-joiner": "\u200c", "zero-width joiner": "\u200d",
    "soft hyphen": "\u00ad", "word joiner": "\u2060", "BOM": "\ufeff",
    "LRM": "\u200e", "RLM": "\u200f", "LRE": "\u202a", "RLO": "\u202e", "LRI": "\u2066", "PDI": "\u2069",
    "ideographic space": "\u3000", "no-break space": "\u00a0", "space": " ",
}


@pytest.mark.parametrize("found, standard, kind", [
    ("四\u200b种意识", "四个意识", "known"),
    ("形式\u00ad丰义", "形式主义", "slip"),
    ("四种\u2060意识", "四个意识", "known"),
    ("形式丰\u200e义", "形式主义", "slip"),
    ("四种\u3000意识", "四个意识", "known"),
    ("四\ufeff种\u202e意\u3000识", "四个意识", "known"),
    ("形式\u200d\u00a0丰义", "形式主义", "slip"),
])
def test_invisible_characters_do_not_hide_a_term(table, found, standard, kind):
    prefix = "全体党员要反对"
    text = f"{prefix}{found}，切实改进作风。"
    hits = find_nonstandard(text, table)
    assert hits == [TermHit(len(prefix), len(prefix) + len(found), found, standard, kind)]
    assert text[hits[0].start:hits[0].end] == hits[0].found


@pytest.mark.parametrize("name", list(INVISIBLE))
def test_every_invisible_character_is_folded(table, name):
    ch = INVISIBLE[name]
    text = f"一是要增强四种{ch}意识，二是反对形式{ch}丰义。"
    hits = find_nonstandard(text, table)
    assert [(h.found, h.standard) for h in hits] == [
        (f"四种{ch}意识", "四个意识"), (f"形式{ch}丰义", "形式主义")], name
    assert [h.start for h in hits] == [text.index("四种"), text.index("形式")]


def test_invisible_characters_elsewhere_give_no_new_findings(table):
    noisy = "".join(
        ch + ("\u200b\u00ad\u2060\ufeff\u200e\u3000"[i % 6] if i % 7 == 3 else "")
        for i, ch in enumerate(CLEAN_PROSE))
    assert noisy != CLEAN_PROSE
    assert find_nonstandard(noisy, table) == []
    # full-width forms and spaces between ASCII words are no findings either
    assert find_nonstandard("ＡＢＣ　ｄｅｆ，第１２３条 Word 2021 版。" + CLEAN_PROSE, table) == []


def test_offsets_stay_on_the_original_text_after_folding(table):
    text = "\ufeff标题\u200b\n" + "增强四种意识。" + "\u3000" * 5 + "反对形势主义。"
    hits = find_nonstandard(text, table)
    assert [(text[h.start:h.end], h.standard) for h in hits] == [
        ("四种意识", "四个意识"), ("形势主义", "形式主义")]
    assert [h.found for h in hits] == ["四种意识", "形势主义"]


# ------------------------------------------------------------ no false positives


def test_clean_prose_has_no_hits(table):
    assert len(CLEAN_PROSE) >= 600
    assert find_nonstandard(CLEAN_PROSE, table) == []


@pytest.mark.parametrize(
    "text",
    [
        "活动形式多样，反对形式主义。",  # 形式多样 vs 形式主义
        "增强四个意识，坚定四个自信。",  # both standard
        "深刻认识两个确立，坚决做到两个维护。",
        "在新的历史时期担负新的历史使命。",
        "这是一个重要历史时刻，也是新的历史时代。",
        "党委负主要责任，纪委负监督责任，部门负监管责任。",
        "克服个人主义、好人主义。",
        "统筹推进四个全面，从四个方面查找差距。",
        "学习党的十九届五中全会和党的二十届三中全会精神。",  # numerals differ
        "保持艰苦奋斗的精神和斗争精神。",  # 斗的精神: function character
        "有的同志习惯用谈体会代替摆问题。",  # 代替|摆问题: word across the edge
        "党员领导干部要围绕基层减负做文章。",  # 围绕|基层减负
        "参加双重组织生活时要以普通党员身份出现。",  # 组织生活+时
        "召开民主生活会，开好组织生活会。",
        "形式主\n义",  # a line break is not a slip
        "",
        "形",
    ],
)
def test_legitimate_near_misses_are_not_flagged(table, text):
    assert find_nonstandard(text, table) == []


def test_standards_are_never_slips_of_each_other(table):
    joined = "，".join(table.standards)
    assert find_nonstandard(joined, table) == []
    for term in table.standards:
        assert find_nonstandard(term, table) == [], term


# -------------------------------------------------------------------- big input


def test_six_hundred_thousand_characters_run(table):
    block = CLEAN_PROSE + "我们反对形式丰义，增强四种意识。\n"
    n = 600_000 // len(block) + 1
    text = (block * n)[:600_000]
    assert len(text) == 600_000
    hits = find_nonstandard(text, table)
    full_blocks = 600_000 // len(block)
    assert sum(h.standard == "形式主义" for h in hits) >= full_blocks
    assert sum(h.found == "四种意识" for h in hits) >= full_blocks
    assert {h.found for h in hits} == {"形式丰义", "四种意识"}


# ------------------------------------------------------------ jieba user dictionary


def _userdict_rows():
    rows = []
    for line in USERDICT.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(line.split())
    return rows


def test_userdict_format_and_coverage(table):
    rows = _userdict_rows()
    assert len(rows) >= 300
    words = [r[0] for r in rows]
    assert len(words) == len(set(words)), "duplicate words in userdict.txt"
    for r in rows:
        assert len(r) == 3, r
        word, freq, pos = r
        assert int(freq) > 0
        assert pos.isalpha()
        assert all("\u4e00" <= ch <= "\u9fff" for ch in word), word
    # a standard with punctuation (忠诚、干净、担当) cannot be one dictionary word
    missing = [s for s in table.standards if s not in set(words) and all("\u4e00" <= c <= "\u9fff" for c in s)]
    assert missing == [], f"standards missing from userdict.txt: {missing}"
    for w in ["民主生活会", "组织生活会", "对照检查", "发言提纲", "检视剖析", "谈心谈话",
              "征求意见", "整改落实", "分管领域", "班子成员", "专题民主生活会", "个人有关事项"]:
        assert w in words, w


@pytest.fixture(scope="module")
def tokenizer(tmp_path_factory):
    """A private jieba tokenizer with the user dictionary (no global state touched)."""
    import jieba

    jieba.setLogLevel(60)
    tk = jieba.Tokenizer()
    tk.tmp_dir = str(tmp_path_factory.mktemp("jieba"))
    tk.load_userdict(str(USERDICT))
    return tk


@pytest.mark.parametrize(
    "sentence, word",
    [
        ("坚决做到两个维护", "两个维护"),
        ("心怀国之大者，履职尽责", "国之大者"),
        ("认真落实一岗双责", "一岗双责"),
        ("坚决反对四风问题", "四风"),
        ("深刻领会两个确立的决定性意义", "两个确立"),
        ("召开专题民主生活会", "专题民主生活会"),
        ("认真撰写发言提纲", "发言提纲"),
        ("如实报告个人有关事项", "个人有关事项"),
        ("防止层层加码和一刀切", "层层加码"),
    ],
)
def test_userdict_keeps_terms_whole(tokenizer, sentence, word):
    assert word in tokenizer.lcut(sentence)


def test_userdict_every_word_whole_in_a_sentence(tokenizer):
    broken = []
    for word, _, _ in _userdict_rows():
        tokens = tokenizer.lcut(f"坚决做到{word}。")
        if word not in tokens:
            broken.append("/".join(tokens))
    assert broken == []


def test_without_userdict_the_terms_split(tmp_path):
    """The reason the dictionary exists: plain jieba breaks these terms."""
    import jieba

    tk = jieba.Tokenizer()
    tk.tmp_dir = str(tmp_path)
    assert "两个维护" not in tk.lcut("坚决做到两个维护")
