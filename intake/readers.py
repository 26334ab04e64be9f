"""Input readers: pasted text, or an uploaded .txt, .html, .pdf or .hwpx file, as plain text.

Each reader returns a :class:`Document` (the text and what the file says about itself: title,
byline, date, site). Anything that cannot be read raises :class:`IntakeInputError` with a
Korean message and a ``code`` for the API. HTML is read with trafilatura (the main article,
title, author and date, without the page's menus and sidebars); PDF with pypdf; HWPX (a ZIP of
OWPML XML) with the standard library. The binary HWP format has no maintained reader, so an
.hwp file is refused with a message asking for HWPX or PDF.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from django.conf import settings
from django.utils.translation import gettext as _

#: bytes of an uploaded file / characters of pasted or extracted text
MAX_UPLOAD_BYTES = getattr(settings, "INTAKE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
MAX_TEXT_CHARS = getattr(settings, "INTAKE_MAX_TEXT_CHARS", 300_000)
#: a HWPX is a ZIP: its unpacked XML is limited too (a small ZIP can unpack to gigabytes)
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 200
EXTENSIONS = (".txt", ".html", ".htm", ".pdf", ".hwpx")


class IntakeInputError(ValueError):
    """Input that cannot be read; ``message`` is Korean, ``code`` names the case for the API."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Document:
    text: str
    kind: str = "text"  # text, txt, html, pdf, hwpx
    title: str = ""
    author: str = ""
    publisher: str = ""
    published: dt.datetime | dt.date | None = None
    url: str = ""
    filename: str = ""


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    lines = [line.rstrip() for line in text.split("\n")]
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    if len(cleaned) > MAX_TEXT_CHARS:
        raise IntakeInputError(
            _("본문이 너무 깁니다: %(n)s자 (최대 %(max)s자). 나누어 올려 주세요.")
            % {"n": f"{len(cleaned):,}", "max": f"{MAX_TEXT_CHARS:,}"},
            "too_long",
        )
    return cleaned


def read_text(text: str) -> Document:
    """Pasted text."""
    if not isinstance(text, str) or not text.strip():
        raise IntakeInputError(
            _("본문이 비어 있습니다. 텍스트를 붙여 넣거나 파일을 올려 주세요."), "empty"
        )
    return Document(text=_clean(text), kind="text")


def read_upload(name: str, data: bytes) -> Document:
    """An uploaded file by its extension; the size is checked first."""
    name = name or ""
    lower = name.lower()
    if len(data) > MAX_UPLOAD_BYTES:
        raise IntakeInputError(
            _("파일이 너무 큽니다: %(size)s MB (최대 %(max)s MB).")
            % {"size": f"{len(data) / 1048576:.1f}", "max": MAX_UPLOAD_BYTES // 1048576},
            "too_large",
        )
    if not data:
        raise IntakeInputError(_("빈 파일입니다: %(name)s") % {"name": name}, "empty")
    if lower.endswith(".hwp"):
        raise IntakeInputError(
            _(
                "HWP(한글 97~2018 형식) 파일은 읽을 수 없습니다. 한글에서 '다른 이름으로 저장'으로 "
                "HWPX 또는 PDF로 저장해 올려 주세요."
            ),
            "hwp_unsupported",
        )
    if lower.endswith(".txt"):
        document = Document(text=_clean(_decode(data)), kind="txt")
    elif lower.endswith((".html", ".htm")):
        document = read_html(_decode(data))
    elif lower.endswith(".pdf"):
        document = read_pdf(data)
    elif lower.endswith(".hwpx"):
        document = read_hwpx(data)
    else:
        raise IntakeInputError(
            _("지원하지 않는 파일 형식입니다: %(name)s (가능: %(kinds)s)")
            % {"name": name, "kinds": ", ".join(EXTENSIONS)},
            "unsupported_type",
        )
    document.filename = name
    if not document.text.strip():
        raise IntakeInputError(
            _("파일에서 글자를 찾지 못했습니다: %(name)s (스캔한 이미지 PDF는 읽을 수 없습니다.)")
            % {"name": name},
            "no_text",
        )
    return document


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IntakeInputError(
        _("글자 인코딩을 알 수 없습니다 (UTF-8 또는 EUC-KR로 저장해 주세요)."), "encoding"
    )


def read_html(html: str) -> Document:
    """A saved news page: the main article with its title, byline and date (trafilatura)."""
    import trafilatura

    extracted = trafilatura.bare_extraction(
        html, with_metadata=True, include_tables=True, include_comments=False, favor_precision=True
    )
    if extracted is None or not (extracted.text or "").strip():
        raise IntakeInputError(_("HTML에서 기사 본문을 찾지 못했습니다."), "no_text")
    published = None
    if extracted.date:
        try:
            published = dt.date.fromisoformat(extracted.date[:10])
        except ValueError:
            published = None
    return Document(
        text=_clean(extracted.text),
        kind="html",
        title=(extracted.title or "").strip(),
        author=(extracted.author or "").strip(),
        publisher=(extracted.sitename or "").strip(),
        published=published,
        url=(extracted.url or "").strip(),
    )


def read_pdf(data: bytes) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise IntakeInputError(_("암호가 걸린 PDF는 읽을 수 없습니다."), "encrypted")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise IntakeInputError(
                _("PDF가 너무 깁니다: %(n)s쪽 (최대 %(max)s쪽).")
                % {"n": len(reader.pages), "max": MAX_PDF_PAGES},
                "too_long",
            )
        pages = [page.extract_text() or "" for page in reader.pages]
        title = ""
        if reader.metadata and reader.metadata.title:
            title = str(reader.metadata.title).strip()
    except IntakeInputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise IntakeInputError(
            _("PDF 파일을 읽을 수 없습니다 (손상되었거나 PDF가 아닙니다)."), "bad_file"
        ) from error
    return Document(text=_clean("\n\n".join(pages)), kind="pdf", title=title)


_OWPML_P = "p"  # paragraph
_OWPML_T = "t"  # text run
_OWPML_TABLE = "tbl"
_OWPML_ROW = "tr"
_OWPML_CELL = "tc"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _paragraph_text(element) -> str:
    parts = []
    for node in element.iter():
        name = _local(node.tag)
        if name == _OWPML_T:
            parts.append(node.text or "")
            for child in node:  # tabs and line breaks inside a run, then the text after them
                if _local(child.tag) in ("tab",):
                    parts.append("\t")
                elif _local(child.tag) in ("lineBreak",):
                    parts.append("\n")
                parts.append(child.tail or "")
    return "".join(parts)


def _section_lines(root) -> list[str]:
    """Paragraphs in order; a table becomes one line per row, its cells separated by tabs."""
    lines: list[str] = []

    def walk(element):
        for child in element:
            name = _local(child.tag)
            if name == _OWPML_TABLE:
                for row in child.iter():
                    if _local(row.tag) != _OWPML_ROW:
                        continue
                    cells = []
                    for cell in row:
                        if _local(cell.tag) != _OWPML_CELL:
                            continue
                        texts = [
                            _paragraph_text(p) for p in cell.iter() if _local(p.tag) == _OWPML_P
                        ]
                        cells.append(" ".join(t.strip() for t in texts if t.strip()))
                    lines.append("\t".join(cells))
            elif name == _OWPML_P:
                if any(_local(n.tag) == _OWPML_TABLE for n in child.iter()):
                    walk(child)  # a table anchored inside a paragraph
                    own = [
                        (n.text or "")
                        for run in child
                        if _local(run.tag) == "run"
                        for n in run
                        if _local(n.tag) == _OWPML_T
                    ]
                    if "".join(own).strip():
                        lines.append("".join(own))
                else:
                    lines.append(_paragraph_text(child))
            else:
                walk(child)

    walk(root)
    return lines


def read_hwpx(data: bytes) -> Document:
    """HWPX: the sections' XML (Contents/section0.xml, ...) in order, paragraphs and tables."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = sorted(
            (n for n in archive.namelist() if re.fullmatch(r"Contents/section\d+\.xml", n)),
            key=lambda n: int(re.search(r"\d+", n.rsplit("/", 1)[1]).group(0)),
        )
        if not names:
            raise IntakeInputError(
                _("HWPX 파일에 본문(Contents/section*.xml)이 없습니다."), "bad_file"
            )
        if sum(archive.getinfo(n).file_size for n in names) > MAX_UNPACKED_BYTES:
            raise IntakeInputError(_("HWPX 파일의 본문이 너무 큽니다."), "too_large")
        lines: list[str] = []
        for name in names:
            with archive.open(name) as handle:
                content = handle.read(MAX_UNPACKED_BYTES + 1)
            if b"<!DOCTYPE" in content[:2000] or b"<!ENTITY" in content:
                raise IntakeInputError(
                    _("HWPX 파일의 XML에 허용하지 않는 선언이 있습니다."), "bad_file"
                )
            lines += _section_lines(ElementTree.fromstring(content))
        title = ""
        if "Contents/content.hpf" in archive.namelist():
            meta = ElementTree.fromstring(archive.read("Contents/content.hpf")[:200_000])
            for node in meta.iter():
                if _local(node.tag) == "title" and (node.text or "").strip():
                    title = node.text.strip()
                    break
    except IntakeInputError:
        raise
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, ValueError, OSError) as error:
        raise IntakeInputError(
            _("HWPX 파일을 읽을 수 없습니다 (손상되었거나 HWPX가 아닙니다)."), "bad_file"
        ) from error
    return Document(text=_clean("\n".join(lines)), kind="hwpx", title=title)
