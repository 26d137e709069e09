"""Coded, user-facing errors.

Every error the user can see carries a stable code (search the code base or
the logs for "E1xx") plus a Chinese message, an English message and a hint in
terms a cadre understands.  ``str(err)`` is always ONE line.

E100-E199: input / file-reading errors (raised by ``review.ingest``); E120 the
            command line's own input (an evaluation folder that does not exist).
E200-E299: rule files and packs (raised by ``review.packs``): E201 a rule file that
            cannot be read or parsed, E202 a rule file or pack that fails validation
            (the message names the file and the place), E203 no pack of that name.
"""

from __future__ import annotations

# code -> (zh, en, hint_zh, hint_en)
CODES: dict[str, tuple[str, str, str, str]] = {
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


def make_error(code: str, zh_detail: str = "", en_detail: str = "") -> ReviewError:
    """Build a ReviewError from the CODES table, optionally with a detail."""
    zh, en, hint_zh, hint_en = CODES[code]
    if zh_detail:
        zh = f"{zh}：{zh_detail}"
    if en_detail:
        en = f"{en}: {en_detail}"
    return ReviewError(code, zh, en, hint_zh, hint_en)
