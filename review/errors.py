"""Every user-facing error, coded, in one table (the spaCy `errors.py` idea).

A code is stable: search the code base or a log for "E203". ``str(err)`` is always ONE
line, Chinese first, English in brackets, then what to do.

E1xx  input files, archives and the command line's own arguments (review.ingest, batch, cli)
E2xx  rule files, packs and language data (review.loader, rulebook, checks.registry)
E3xx  the corpus and the learned models (review.judge)
E9xx  internal errors: a bug, reported in one line, never a traceback
"""
from __future__ import annotations

# code -> (zh, en, hint_zh, hint_en)
CODES: dict[str, tuple[str, str, str, str]] = {
    # ---- E1xx input --------------------------------------------------------------------
    "E101": ("找不到文件或无法读取", "file not found or not readable",
             "请检查文件路径后重新上传", "check the path and upload again"),
    "E102": ("文件为空", "the file is empty",
             "请确认上传的是写好的材料", "make sure you uploaded the finished draft"),
    "E103": ("无法读取旧版 Word (.doc) 文件", "old binary Word .doc format is not supported",
             "请在 Word/WPS 中另存为 .docx 后再上传", "save as .docx and try again"),
    "E104": ("无法读取 WPS (.wps) 文件", "WPS .wps format is not supported",
             "请在 WPS 中另存为 .docx 后再上传", "save as .docx in WPS and try again"),
    "E105": ("文件已加密或设置了打开密码", "the file is encrypted / password-protected",
             "请取消文档密码后另存为 .docx 再上传",
             "remove the password, save as .docx and try again"),
    "E106": ("Word 文件已损坏或不完整", "the .docx file is corrupt or truncated",
             "请用 Word/WPS 打开确认无误后重新另存为 .docx 再上传",
             "open it in Word/WPS, save as .docx again and re-upload"),
    "E107": ("Word 文件结构异常（内部文件过多或过大）",
             "the .docx has a suspicious structure (too many / too large members, zip bomb)",
             "请在 Word/WPS 中重新另存为 .docx，删除大图片后再上传",
             "re-save as .docx, remove large images and try again"),
    "E108": ("PDF 只有图片、没有文字层（可能是扫描件）",
             "image-only PDF, it has no text layer",
             "请提供带文字层的 PDF 或 Word 原件", "provide a text PDF or the original Word file"),
    "E109": ("PDF 文件已损坏，无法读取", "the PDF is corrupt and cannot be read",
             "请重新导出 PDF，或直接提供 Word 原件",
             "export the PDF again or provide the original Word file"),
    "E110": ("文件过大", "file too large",
             "请压缩图片或拆分文件后再上传", "compress the images or split the file"),
    "E111": ("文件内容不是文字（可能是图片、压缩包或其他二进制文件）",
             "the content is binary, not text",
             "请提供 Word (.docx)、文字版 PDF 或纯文本文件",
             "provide a .docx, a text PDF or a plain-text file"),
    "E112": ("不支持的文件类型", "unsupported file type",
             "请提供 Word (.docx)、文字版 PDF 或纯文本 (.txt) 文件",
             "provide a .docx, a text PDF or a .txt file"),
    "E113": ("无法识别文本文件的编码", "cannot decode the text file (unknown encoding)",
             "请用记事本/WPS 另存为 UTF-8 编码后再上传", "save the file as UTF-8 and try again"),
    "E114": ("文档中没有可读取的文字", "the document has no readable text",
             "文档可能只有图片或扫描件，请提供文字版 Word 或 PDF",
             "it may contain only images; provide a text version"),
    "E115": ("材料文字过多，超出审阅上限", "the document holds more text than a draft can",
             "请只上传本人的发言提纲或对照检查材料（一般不超过几十页）",
             "upload only the draft itself (a few dozen pages at most)"),
    "E116": ("这是严格 OOXML 格式的 Word 文件", "Strict Open XML Word document",
             "请在 Word 中“另存为”，保存类型选“Word 文档 (*.docx)”后再上传",
             "in Word, Save As \"Word Document (*.docx)\" and upload again"),
    "E117": ("文件只有文本框，正文没有文字", "the text is only in text boxes",
             "请把文本框里的文字复制到正文后再上传", "move the text out of the text boxes and upload again"),
    "E118": ("文件处理超时", "the file took too long to read and review",
             "文件可能已损坏或结构异常，请在 Word/WPS 中重新另存后再上传",
             "it may be damaged; save it again in Word/WPS and re-upload"),
    "E120": ("找不到评测目录", "not a directory of gold files",
             "请给出含标注文件的文件夹", "name the folder that holds the gold files"),
    "E130": ("压缩包过大或文件过多", "archive too large or with too many files",
             "请分批上传，每包不超过2000个文件", "split it into smaller archives"),
    "E131": ("压缩包内文件过大或异常", "archive member too large or zip-bomb shaped",
             "请解压检查后单独上传该文件", "unpack it and upload that file on its own"),
    "E132": ("压缩包内文件损坏", "archive member unreadable",
             "请重新压缩后上传", "re-create the archive"),
    "E133": ("压缩包已损坏", "corrupt archive",
             "请重新压缩后上传", "re-create the archive"),
    "E134": ("压缩包内还有压缩包（超过一层）", "archive nested more than one level deep",
             "请解开后分别上传", "unpack it and upload the files"),
    "E135": ("不读取链接（快捷方式）文件", "a symbolic link is not followed",
             "请上传文件本身", "upload the file itself"),
    "E140": ("输出位置不是文件夹", "the output path is not a folder",
             "请用 -o 指定一个文件夹", "give a folder with -o"),
    "E141": ("输出文件夹里已有审阅结果", "the output folder already holds results",
             "请换一个空文件夹，或加 --overwrite 覆盖", "use an empty folder or add --overwrite"),
    "E142": ("输出位置含有链接，拒绝写入", "the output path contains a symbolic link; nothing written",
             "请换一个普通文件夹", "use an ordinary folder"),
    # ---- E2xx rules, packs, language data ----------------------------------------------
    "E201": ("规则或语言数据文件无法读取", "rule or language data file unreadable",
             "请检查该文件的 YAML 格式（缩进、引号）", "check the file's YAML (indentation, quotes)"),
    "E202": ("规则或语言数据文件内容有误", "invalid rule or language data file",
             "请按提示改正该处后重试", "correct the place named and try again"),
    "E203": ("找不到规则包", "no rule pack of that name",
             "请用 review packs 查看可用的规则包", "run `review packs` to list them"),
    "E204": ("规则声明的检查类型不存在", "a rule declares an unknown kind",
             "kind 只能是已登记的检查类型", "use one of the registered kinds"),
    "E205": ("规则编号与检查类型不符", "no kind produces this rule id",
             "请核对规则编号拼写", "check the rule id's spelling"),
    "E206": ("规则库缺少某检查类型所需的规则", "a kind's rule is missing from the rulebook",
             "请补回该规则（可将其严重程度设为 info）", "put the rule back (it may be set to info)"),
    "E207": ("规则引用的条目不存在", "a rule refers to something that is not registered",
             "请核对名称拼写", "check the name's spelling"),
    # ---- E3xx corpus and models --------------------------------------------------------
    "E301": ("语料文件有误", "bad corpus record",
             "请按 review/corpora/SCHEMA.md 改正该行", "correct the line as review/corpora/SCHEMA.md describes"),
    "E302": ("语料太少，无法训练模型", "corpus too small to train",
             "请补充语料后再训练", "add labelled sentences and train again"),
    "E303": ("模型未训练或已过期", "the models are missing or stale",
             "请先运行 review train", "run `review train` first"),
    "E304": ("模型文件损坏", "the model files are corrupt",
             "请运行 review train 重新生成", "run `review train` to rebuild them"),
    # ---- E9xx internal -----------------------------------------------------------------
    "E900": ("程序内部错误", "internal error",
             "请将文件和此信息反馈给系统管理员", "please report this with the file"),
}


def _one(s: str) -> str:
    return " ".join(str(s).split())  # collapse newlines / runs of whitespace


class ReviewError(Exception):
    """A coded, user-facing error. ``str(e)`` is ONE line, e.g.
    '[E103] 无法读取旧版 Word (.doc) 文件 (old binary Word .doc format is not supported)
    — 请在 Word/WPS 中另存为 .docx 后再上传 (save as .docx and try again)'"""

    def __init__(self, code: str, zh: str, en: str, hint_zh: str = "", hint_en: str = ""):
        self.code, self.zh, self.en = code, _one(zh), _one(en)
        self.hint_zh, self.hint_en = _one(hint_zh), _one(hint_en)
        super().__init__(self.one_line())

    def one_line(self) -> str:
        line = f"[{self.code}] {self.zh} ({self.en})"
        if self.hint_zh or self.hint_en:
            hint = self.hint_zh + (f" ({self.hint_en})" if self.hint_en else "")
            line += f" — {hint.strip()}"
        return line

    def __str__(self) -> str:
        return self.one_line()

    def __reduce__(self):  # keep picklable despite the custom __init__
        return (type(self), (self.code, self.zh, self.en, self.hint_zh, self.hint_en))


def make_error(code: str, zh_detail: str = "", en_detail: str = "", *,
               hint: tuple[str, str] | None = None) -> ReviewError:
    """A ReviewError from the table, with an optional detail and a hint of its own."""
    zh, en, hint_zh, hint_en = CODES[code]
    if zh_detail:
        zh = f"{zh}：{zh_detail}"
    if en_detail:
        en = f"{en}: {en_detail}"
    if hint:
        hint_zh, hint_en = hint
    return ReviewError(code, zh, en, hint_zh, hint_en)


def internal_error(exc: BaseException) -> ReviewError:
    """A bug as one coded line (E900), never a traceback."""
    return make_error("E900", "", f"{type(exc).__name__}: {_one(exc)[:200]}")
