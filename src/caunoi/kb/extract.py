"""Reading an uploaded file: its type from its content, limits, and its lines per page.

- PDF with pypdfium2 (PDFium): measured fastest of the three libraries we tried on the same
  100-page Vietnamese PDF (pypdfium2 0.7 s, pypdf 4.7 s, pdfminer.six 20.6 s, measured under
  load; docs/kb.md), and it gives each line's font size and position, which the footnote and
  running-header detection need.
- DOCX with python-docx (paragraphs and table cells, in order), after checking the ZIP's
  declared sizes against the decompression limits.
- HTML decoded first (byte-order mark, declared charset, else UTF-8, else detected), then
  lxml's HTML parser: scripts, styles, navigation and forms dropped, block
  elements become paragraphs.
- Text as UTF-8 (with or without BOM), else UTF-16 by BOM, else the detected encoding.

Anything else is refused with a message for the person who uploaded it.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from caunoi.core.errors import DomainError
from vntext.layout import Line, text_lines

TYPES = ("pdf", "docx", "html", "txt")


def limits() -> dict[str, int]:
    """The operator's limits (settings, from the CAUNOI_KB_MAX_* environment variables)."""
    return {
        "max_bytes": int(settings.CAUNOI_KB_MAX_BYTES),
        "max_pages": int(settings.CAUNOI_KB_MAX_PAGES),
        "max_unzipped": int(settings.CAUNOI_KB_MAX_UNZIPPED),
        "max_ratio": int(settings.CAUNOI_KB_MAX_RATIO),
        "max_chars": int(settings.CAUNOI_KB_MAX_CHARS),
    }


class UnreadableFile(DomainError):
    """The file cannot be taken: wrong type, too large, damaged."""


@dataclass
class Extracted:
    file_type: str
    pages: list[list[Line]]
    paged: bool  # real pages (PDF) or one run of text
    title: str = ""  # the title the file declares (PDF/DOCX metadata, HTML <title>)


def sniff(data: bytes) -> str:
    """The file's type from its first bytes (not its name): pdf, docx, html or txt."""
    head = data[:2048]
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile as exc:
            raise UnreadableFile(_("The ZIP file is damaged.")) from exc
        if "word/document.xml" in names:
            return "docx"
        raise UnreadableFile(_("Only Word documents (.docx) are accepted among ZIP files."))
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(
            _("This file type is not accepted: upload PDF, DOCX, HTML or text files.")
        )
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta")) or (
        probe.startswith(b"<") and (b"<p" in head.lower() or b"<div" in head.lower())
    ):
        return "html"
    return "txt"


def decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise UnreadableFile(_("The text's encoding could not be recognised.")) from None
        return str(best)


def _pdf(data: bytes, lim: dict[str, int]) -> Extracted:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise UnreadableFile(_("The PDF file is damaged or protected by a password.")) from exc
    try:
        n = len(doc)
        if n > lim["max_pages"]:
            raise UnreadableFile(
                _("The PDF has %(n)d pages; at most %(max)d are accepted.")
                % {"n": n, "max": lim["max_pages"]}
            )
        title = ""
        try:
            title = (doc.get_metadata_value("Title") or "").strip()
        except Exception:  # damaged metadata: no title
            title = ""
        pages: list[list[Line]] = []
        chars = 0
        for i in range(n):
            page = doc[i]
            textpage = page.get_textpage()
            count = textpage.count_chars()
            text = textpage.get_text_range(0, count) if count > 0 else ""
            chars += len(text)
            if chars > lim["max_chars"]:
                raise UnreadableFile(_("The document holds more text than is accepted."))
            lines: list[Line] = []
            pos = 0
            for part in text.split("\r\n"):
                if part.strip() and pos < count:
                    box = textpage.get_charbox(pos)
                    size = raw.FPDFText_GetFontSize(textpage, pos)
                    lines.append(Line(part, size=round(size, 1) or None, y=box[1]))
                pos += len(part) + 2
            pages.append(lines)
            textpage.close()
            page.close()
    finally:
        doc.close()
    if not any(pages):
        raise UnreadableFile(
            _("No text was found in this PDF (a scan needs text recognition first).")
        )
    return Extracted("pdf", pages, True, title)


def _check_zip(data: bytes, lim: dict[str, int]) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
        if len(infos) > 5000:
            raise UnreadableFile(_("The document holds too many parts."))
        total = sum(i.file_size for i in infos)
        packed = max(1, sum(i.compress_size for i in infos))
        if total > lim["max_unzipped"] or total / packed > lim["max_ratio"]:
            raise UnreadableFile(_("The document unpacks to more than is accepted."))


def _docx(data: bytes, lim: dict[str, int]) -> Extracted:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_zip(data, lim)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise UnreadableFile(_("The Word document is damaged.")) from exc
    lines: list[Line] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            texts = [item.text]
        elif isinstance(item, Table):
            texts = [" | ".join(c.text.strip() for c in row.cells) for row in item.rows]
        else:
            texts = []
        for text in texts:
            for part in text.split("\n"):
                if part.strip():
                    lines.append(Line(part, starts_paragraph=True))
    title = (document.core_properties.title or "").strip()
    return Extracted("docx", [lines], False, title)


_DROP = ("script", "style", "noscript", "nav", "header", "footer", "form", "aside", "template")
_BLOCKS = {
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "br",
    "section", "article", "blockquote", "pre", "dd", "dt", "caption", "figcaption",
}  # fmt: skip


_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def decode_html(data: bytes) -> str:
    """A web page's text: by its byte-order mark, else the charset its ``<meta charset>`` or
    ``<meta http-equiv="Content-Type">`` declares, else UTF-8 when it decodes, else the
    detected encoding. (Left to itself lxml reads an undeclared page as Latin-1, which turns
    Vietnamese UTF-8 into "Bá»\x99".)"""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_text(data)
    m = _META_CHARSET.search(data[:4096])
    if m:
        try:
            return data.decode(m.group(1).decode("ascii"), errors="replace")
        except LookupError:  # an unknown charset name: decide from the bytes
            pass
    return decode_text(data)


def _html(data: bytes) -> Extracted:
    import lxml.html
    from lxml import etree

    text = _XML_DECLARATION.sub("", decode_html(data))
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableFile(_("The web page could not be read.")) from exc
    title = (root.findtext(".//title") or "").strip()
    for bad in root.xpath("|".join(f"//{t}" for t in _DROP)):
        bad.drop_tree()
    body = root.find("body")
    if body is None:
        body = root
    parts: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            parts.append(text)
        current.clear()

    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCKS:
                flush()
            if el.text and tag not in _DROP:
                current.append(el.text)
        else:
            if tag in _BLOCKS:
                flush()
            if el.tail:
                current.append(el.tail)
    flush()
    return Extracted("html", [[Line(p, starts_paragraph=True) for p in parts]], False, title)


def check(data: bytes) -> str:
    """The checks made before a file is stored (size, type by content, ZIP sizes); returns
    its type or raises ``UnreadableFile``."""
    lim = limits()
    if not data:
        raise UnreadableFile(_("The file is empty."))
    if len(data) > lim["max_bytes"]:
        raise UnreadableFile(
            _("The file is larger than %(mb)d MB.") % {"mb": lim["max_bytes"] // (1024 * 1024)}
        )
    kind = sniff(data)
    if kind == "docx":
        _check_zip(data, lim)
    return kind


def read_file(data: bytes) -> Extracted:
    """The lines of an uploaded file, or ``UnreadableFile`` saying why it cannot be taken."""
    lim = limits()
    kind = check(data)
    if kind == "pdf":
        return _pdf(data, lim)
    if kind == "docx":
        return _docx(data, lim)
    if kind == "html":
        return _html(data)
    text = decode_text(data)
    if len(text) > lim["max_chars"]:
        raise UnreadableFile(_("The document holds more text than is accepted."))
    return Extracted("txt", [text_lines(text)], False, "")
