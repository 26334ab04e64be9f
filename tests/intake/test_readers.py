"""Input readers: text, .txt, .html (trafilatura), .pdf (pypdf), .hwpx (OWPML), .hwp refused."""

import io
import zipfile

import pytest

from intake import readers
from intake.readers import IntakeInputError, read_text, read_upload

NEWS_HTML = """<!doctype html><html lang="ko"><head><meta charset="utf-8">
<title>경남, 제조 AI 허브 개소 - 산업경제신문</title>
<meta property="og:title" content="경남, 제조 AI 허브 개소">
<meta name="author" content="한지수 기자">
<meta property="article:published_time" content="2025-06-20T10:30:00+09:00">
<meta property="og:site_name" content="산업경제신문">
</head><body>
<nav><a href="/">홈</a> <a href="/sports">스포츠</a> <a href="/ent">연예</a></nav>
<article><h1>경남, 제조 AI 허브 개소</h1>
<p>경상남도는 지난 19일 창원에서 도내 제조 중소기업의 인공지능 전환을 돕는 허브를 열었다고 20일 밝혔다.</p>
<p>도와 중기부는 허브 구축에 국비 80억 원과 도비 40억 원을 들였다. 올해 중소기업 40개사를 골라 AI 도입을 지원한다.</p>
<p>허브에는 GPU 서버 12기와 시험 설비가 갖춰졌고, 도내 기업이라면 누구나 예약해 쓸 수 있다.</p>
</article>
<aside><h2>많이 본 뉴스</h2><ul><li><a href="/a">프로야구 개막전 관중 2만 명</a></li><li><a href="/b">드라마 시청률 12%</a></li></ul></aside>
<footer>무단전재 금지</footer></body></html>"""


def _pdf(text: str) -> bytes:
    """A one-page PDF with ``text`` in Helvetica (ASCII), built by hand."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


HP = "http://www.hancom.co.kr/hwpml/2011/paragraph"


def _hwpx(paragraphs, table_rows=()) -> bytes:
    body = "".join(f"<hp:p><hp:run><hp:t>{p}</hp:t></hp:run></hp:p>" for p in paragraphs)
    if table_rows:
        rows = "".join(
            "<hp:tr>"
            + "".join(
                f"<hp:tc><hp:subList><hp:p><hp:run><hp:t>{c}</hp:t></hp:run></hp:p></hp:subList></hp:tc>"
                for c in row
            )
            + "</hp:tr>"
            for row in table_rows
        )
        body += f"<hp:p><hp:run><hp:tbl>{rows}</hp:tbl></hp:run></hp:p>"
    section = f'<?xml version="1.0" encoding="UTF-8"?><hs:sec xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section" xmlns:hp="{HP}">{body}</hs:sec>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/hwp+zip")
        archive.writestr("Contents/section0.xml", section)
    return out.getvalue()


def test_pasted_text_is_cleaned():
    document = read_text("  제목\r\n\r\n\r\n\r\n본문\u00a0입니다.  ")
    assert (document.text, document.kind) == ("  제목\n\n본문 입니다.", "text")


def test_empty_text_is_refused_in_korean():
    with pytest.raises(IntakeInputError) as error:
        read_text("   ")
    assert (error.value.code, error.value.message) == (
        "empty",
        "본문이 비어 있습니다. 텍스트를 붙여 넣거나 파일을 올려 주세요.",
    )


def test_txt_in_utf8_and_in_euc_kr():
    assert read_upload("a.txt", "중기부 보도자료".encode()).text == "중기부 보도자료"
    assert read_upload("b.txt", "중기부 보도자료".encode("cp949")).text == "중기부 보도자료"


def test_html_gives_the_main_article_title_byline_and_date_without_the_sidebar():
    document = read_upload("news.html", NEWS_HTML.encode())
    assert document.kind == "html"
    assert document.title == "경남, 제조 AI 허브 개소"
    assert document.author == "한지수 기자"
    assert str(document.published) == "2025-06-20"
    assert document.publisher == "산업경제신문"
    assert "국비 80억 원과 도비 40억 원" in document.text
    assert "프로야구" not in document.text


def test_pdf_text_is_read():
    document = read_upload("release.pdf", _pdf("AI budget 350"))
    assert (document.kind, document.text) == ("pdf", "AI budget 350")


def test_a_broken_pdf_is_refused_in_korean():
    with pytest.raises(IntakeInputError) as error:
        read_upload("broken.pdf", b"%PDF-1.4 not really")
    assert error.value.code == "bad_file"
    assert "PDF 파일을 읽을 수 없습니다" in error.value.message


def test_hwpx_paragraphs_and_table_rows_are_read():
    data = _hwpx(
        ["중소기업 AI 포럼 개최", "국비 350억 원"], [["시 간", "내 용"], ["14:00~14:10", "개회"]]
    )
    document = read_upload("release.hwpx", data)
    assert document.text == "중소기업 AI 포럼 개최\n국비 350억 원\n시 간\t내 용\n14:00~14:10\t개회"


def test_hwpx_without_sections_or_with_entities_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/hwp+zip")
    with pytest.raises(IntakeInputError) as error:
        read_upload("empty.hwpx", out.getvalue())
    assert error.value.code == "bad_file"
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w") as archive:
        archive.writestr(
            "Contents/section0.xml", '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'
        )
    with pytest.raises(IntakeInputError) as error:
        read_upload("bomb.hwpx", bomb.getvalue())
    assert error.value.message == "HWPX 파일의 XML에 허용하지 않는 선언이 있습니다."


def test_hwp_asks_for_hwpx_or_pdf():
    with pytest.raises(IntakeInputError) as error:
        read_upload("보도자료.hwp", b"\xd0\xcf\x11\xe0 binary")
    assert error.value.code == "hwp_unsupported"
    assert "HWPX 또는 PDF로 저장해 올려 주세요" in error.value.message


def test_other_types_and_large_files_are_refused(monkeypatch):
    with pytest.raises(IntakeInputError) as error:
        read_upload("sheet.xlsx", b"PK..")
    assert error.value.code == "unsupported_type"
    monkeypatch.setattr(readers, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(IntakeInputError) as error:
        read_upload("big.txt", b"x" * 11)
    assert error.value.code == "too_large"


def test_too_long_text_is_refused(monkeypatch):
    monkeypatch.setattr(readers, "MAX_TEXT_CHARS", 5)
    with pytest.raises(IntakeInputError) as error:
        read_text("123456")
    assert error.value.code == "too_long"
