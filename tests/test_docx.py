"""The Word path, on .docx files written by pandoc and LibreOffice (see tests/fixtures/make_docx.py)."""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import astuple
from pathlib import Path

import pytest

from qa.catalogue.docx_reader import read_docx
from qa.catalogue.load import load_catalogue
from qa.errors import CatalogueError

FIXTURES = Path(__file__).parent / "fixtures"
CATALOGUES = {
    "pandoc": FIXTURES / "catalogue_pandoc.docx",
    "libreoffice": FIXTURES / "catalogue_libreoffice.docx",
}
FEATURES = {
    "pandoc": FIXTURES / "features_pandoc.docx",
    "libreoffice": FIXTURES / "features_libreoffice.docx",
}
GEA = "https://www.wto.org/english/tratop_e/msmes_e/gea_18221.pdf"
PHILIPPINES_NOTE = (
    "This presentation contains relevant content for the sections on MSME financing, "
    "sustainability, trade facilitation, and digital."
)


@pytest.fixture(scope="module", params=sorted(CATALOGUES))
def catalogue_docx(request: pytest.FixtureRequest) -> Path:
    return CATALOGUES[request.param]


def _find(paragraphs, start: str):
    return next(p for p in paragraphs if p.text.startswith(start))


# --- The key property: one catalogue, two forms, the same entries ------------------------------


def test_docx_gives_the_same_entries_as_the_text_export(catalogue_docx, catalogue):
    from_word = load_catalogue(catalogue_docx)
    assert [e.id for e in from_word.entries] == [e.id for e in catalogue.entries]
    for word_entry, text_entry in zip(from_word.entries, catalogue.entries, strict=True):
        assert astuple(word_entry) == astuple(text_entry), word_entry.id


def test_docx_gives_the_same_categories_period_and_findings(catalogue_docx, catalogue):
    from_word = load_catalogue(catalogue_docx)
    assert from_word.categories == catalogue.categories
    assert from_word.period == catalogue.period
    assert from_word.anomalies == catalogue.anomalies


def test_hyperlink_fields_read_like_hyperlinks(tmp_path, catalogue):
    """Word and LibreOffice may write a link as a HYPERLINK field instead of w:hyperlink."""
    rewritten = _hyperlinks_as_fields(CATALOGUES["pandoc"], tmp_path / "fields.docx")
    assert load_catalogue(rewritten).entries == catalogue.entries


# --- read_docx on the fixtures -----------------------------------------------------------------


def test_heading_levels_come_from_the_styles(catalogue_docx):
    paragraphs = read_docx(catalogue_docx)
    assert _find(paragraphs, "Innovation").heading == 1
    assert _find(paragraphs, "Cross-border Payments").heading == 2
    entry_level = 3 if "pandoc" in catalogue_docx.name else 2
    assert _find(paragraphs, "GreenToCompete, ITC (IO)").heading == entry_level
    assert _find(paragraphs, "8 February 2022").heading is None


def test_footnote_becomes_a_note_and_its_mark_leaves_the_text(catalogue_docx):
    heading = _find(read_docx(catalogue_docx), "Outcomes of the Global MSME Forum")
    assert heading.text.endswith("Philippines' Government (Member)")
    assert heading.notes == (PHILIPPINES_NOTE,)


def test_a_labelled_hyperlink_gives_its_target(catalogue_docx):
    labels = [p for p in read_docx(catalogue_docx) if p.text in ("Presentation slides", "Slides")]
    assert labels
    assert all(len(p.links) == 1 and p.links[0].startswith("https://") for p in labels)


def test_the_word_here_linked_gives_the_presentation(catalogue_docx):
    para = _find(read_docx(catalogue_docx), "The Global Express Association GEA presented")
    assert para.text.endswith("More information on the GEA proposal can be found here.")
    assert para.links == (GEA,)


def test_links_keep_reading_order(catalogue_docx):
    para = _find(read_docx(catalogue_docx), "The Secretariat presented on a report completed in 2019")
    assert para.links[0] == "https://www.wto.org/english/tratop_e/msmesandtra_e/rtaprovisions_e.htm"
    assert "(https://www.wto.org/english/tratop_e/msmesandtra_e/rtaprovisions_e.htm)" in para.text


def test_typography_is_normalized(catalogue_docx):
    paragraphs = read_docx(catalogue_docx)
    for para in paragraphs:
        for text in (para.text, *para.notes):
            assert not re.search("[\u2018\u2019\u201c\u201d\u2011\u00a0\u00ad]", text), text
    assert "9) Cyber-Readiness" in _find(paragraphs, "Thematic categories:").text
    assert _find(paragraphs, "15 July 2022").text == "15 July 2022"  # no-break space in the docx
    assert "Australia's Department of Home Affairs" in _find(paragraphs, "Australia's experience").text


@pytest.mark.parametrize("writer", sorted(FEATURES))
def test_tables_line_breaks_and_non_web_links(writer):
    texts = [(p.text, p.links) for p in read_docx(FEATURES[writer]) if not p.blank]
    assert ("Line one", ()) in texts  # a manual line break starts a line, as in the text export
    assert ("Line two https://example.org/two.pdf", ("https://example.org/two.pdf",)) in texts
    cells = [t for t, _ in texts if t[:2] in ("A1", "B1", "A2", "B2")]
    assert cells == ["A1", "B1 https://example.org/b1.pdf", "A2 table link", "B2"]  # row by row
    assert ("A2 table link", ("https://example.org/t.pdf",)) in texts
    assert ("Softhyphen, mail us and top.", ()) in texts  # mailto: and #anchor are not catalogue links
    assert ("\"Smart\" 'quotes' and non-breaking and no break.", ()) in texts


def test_title_style_is_level_zero():
    paragraphs = read_docx(FEATURES["pandoc"])
    assert (paragraphs[0].text, paragraphs[0].heading) == ("Reader features", 0)
    assert _find(paragraphs, "Heading four").heading == 4


# --- XML the converters do not write: fields, tracked changes, hidden text -----------------------

_URL = "https://example.org/slides.pdf"


def _run(inner: str) -> str:
    return f"<w:r>{inner}</w:r>"


def test_complex_field_shows_its_result_not_its_code(tmp_path):
    instr = [f' HYPERLINK "{_URL}" ', '\\o "tip" ']  # Word splits instructions across runs
    body = _paragraph(
        _run('<w:t xml:space="preserve">See the </w:t>')
        + _run('<w:fldChar w:fldCharType="begin"/>')
        + "".join(_run(f'<w:instrText xml:space="preserve">{i}</w:instrText>') for i in instr)
        + _run('<w:fldChar w:fldCharType="separate"/>')
        + _run("<w:t>slides</w:t>")
        + _run('<w:fldChar w:fldCharType="end"/>')
        + _run("<w:t>.</w:t>")
    )
    (para,) = read_docx(_docx_with_body(tmp_path, body))
    assert (para.text, para.links) == ("See the slides.", (_URL,))


def test_simple_field_and_internal_field_links(tmp_path):
    body = _paragraph(
        f'<w:fldSimple w:instr=" HYPERLINK &quot;{_URL}&quot; ">{_run("<w:t>Slides</w:t>")}</w:fldSimple>'
    ) + _paragraph(
        '<w:fldSimple w:instr=" HYPERLINK \\l &quot;_Toc1&quot; ">' + _run("<w:t>Back</w:t>") + "</w:fldSimple>"
    )
    assert [(p.text, p.links) for p in read_docx(_docx_with_body(tmp_path, body))] == [
        ("Slides", (_URL,)),
        ("Back", ()),
    ]


def test_deleted_and_hidden_text_is_not_read(tmp_path):
    body = _paragraph(
        _run("<w:t>kept </w:t>")
        + '<w:del w:id="1" w:author="a"><w:r><w:delText>deleted </w:delText></w:r></w:del>'
        + '<w:ins w:id="2" w:author="a"><w:r><w:t>inserted </w:t></w:r></w:ins>'
        + _run("<w:rPr><w:vanish/></w:rPr><w:t>hidden </w:t>")
        + _run("<w:t>e</w:t><w:noBreakHyphen/><w:t>commerce</w:t><w:tab/><w:t>end</w:t>")
    )
    (para,) = read_docx(_docx_with_body(tmp_path, body))
    assert para.text == "kept inserted e-commerce end"


# --- Bad input --------------------------------------------------------------------------------


def test_truncated_docx_is_a_catalogue_error(tmp_path):
    data = CATALOGUES["pandoc"].read_bytes()
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(CatalogueError, match="truncated|damaged"):
        load_catalogue(truncated)


def test_random_bytes_named_docx_is_a_catalogue_error(tmp_path):
    junk = tmp_path / "junk.docx"
    junk.write_bytes(os.urandom(4096))
    with pytest.raises(CatalogueError, match="not a Word document"):
        read_docx(junk)
    with pytest.raises(CatalogueError):
        load_catalogue(junk)


@pytest.mark.parametrize(
    "members",
    [
        {"hello.txt": "not a Word document"},  # a zip, but no document in it
        {"[Content_Types].xml": "<Types", "word/document.xml": "<w:document"},  # broken XML
    ],
    ids=["other-zip", "broken-xml"],
)
def test_zip_that_is_not_a_word_document_is_a_catalogue_error(tmp_path, members):
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    with pytest.raises(CatalogueError):
        read_docx(path)


def test_damaged_member_is_a_catalogue_error(tmp_path):
    data = bytearray(CATALOGUES["libreoffice"].read_bytes())
    start = data.index(b"word/document.xml") + 200  # inside the compressed document, not the header
    data[start : start + 64] = bytes(64)
    damaged = tmp_path / "damaged.docx"
    damaged.write_bytes(bytes(data))
    with pytest.raises(CatalogueError):
        read_docx(damaged)


def test_empty_and_missing_files_are_catalogue_errors(tmp_path):
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    with pytest.raises(CatalogueError, match="empty"):
        read_docx(empty)
    with pytest.raises(CatalogueError, match="cannot be read"):
        read_docx(tmp_path / "missing.docx")


# --- Helpers: edit a converter-written package, never build one with python-docx ----------------


def _paragraph(inner: str) -> str:
    return f"<w:p>{inner}</w:p>"


def _rewrite(source: Path, target: Path, edit: dict[str, object]) -> Path:
    """Copy a .docx, passing the named members' text through ``edit[name](text)``."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename in edit:
                data = edit[item.filename](data.decode("utf-8")).encode("utf-8")  # type: ignore[operator]
            dst.writestr(item, data)
    return target


def _docx_with_body(tmp_path: Path, body: str) -> Path:
    def replace_body(xml: str) -> str:
        start = xml.index("<w:body>") + len("<w:body>")
        return xml[:start] + body + xml[xml.index("<w:sectPr", start) :]

    return _rewrite(FEATURES["libreoffice"], tmp_path / "edited.docx", {"word/document.xml": replace_body})


def _hyperlinks_as_fields(source: Path, target: Path) -> Path:
    """Every w:hyperlink becomes a HYPERLINK field, complex and simple in turn; its relationship goes."""
    with zipfile.ZipFile(source) as archive:
        rels = archive.read("word/_rels/document.xml.rels").decode("utf-8")
    urls = {}
    for rel in re.findall(r"<Relationship [^>]*>", rels):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', rel))
        urls[attrs["Id"]] = attrs["Target"]
    count = 0

    def as_field(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        url, runs = urls[m.group(1)], m.group(2)
        if count % 2:
            return f'<w:fldSimple w:instr=" HYPERLINK &quot;{url}&quot; ">{runs}</w:fldSimple>'
        return (
            _run('<w:fldChar w:fldCharType="begin"/>')
            + _run(f'<w:instrText xml:space="preserve"> HYPERLINK "{url}" </w:instrText>')
            + _run('<w:fldChar w:fldCharType="separate"/>')
            + runs
            + _run('<w:fldChar w:fldCharType="end"/>')
        )

    def fields(xml: str) -> str:
        return re.sub(r'<w:hyperlink r:id="(rId\d+)"[^>]*>(.*?)</w:hyperlink>', as_field, xml)

    def drop_hyperlink_rels(xml: str) -> str:
        return re.sub(r"<Relationship [^>]*relationships/hyperlink\"[^>]*/>", "", xml)

    _rewrite(source, target, {"word/document.xml": fields, "word/_rels/document.xml.rels": drop_hyperlink_rels})
    assert count > 20
    return target


def test_a_docx_made_from_the_text_export_with_its_markers_reads_as_the_export(tmp_path, seed_text, catalogue):
    """Each line of the export as a Word paragraph, "[bookmark: _Toc…]" and "[footnoteRef:1] … [1: …]" left in:
    the markers are dropped and the footnote kept out of the heading, as the text reader does."""
    import docx as python_docx

    from qa.catalogue.checks import check_catalogue
    from qa.catalogue.load import load_catalogue

    assert "[bookmark:" in seed_text and "[footnoteRef:" in seed_text
    document = python_docx.Document()
    for line in seed_text.splitlines():
        document.add_paragraph(line)
    path = tmp_path / "from-export.docx"
    document.save(str(path))
    converted = load_catalogue(path)
    assert [e.to_json() for e in converted.entries] == [e.to_json() for e in catalogue.entries]
    assert converted.categories == catalogue.categories
    assert not any("[bookmark" in value or "footnoteRef" in value
                   for e in converted.entries for value in (e.id, e.title, e.institution, e.category))  # fmt: skip
    noted = [e for e in converted.entries if e.note]
    assert len(noted) == 1 and noted[0].institution == "Philippines' Government"
    assert [p.kind for p in check_catalogue(converted)] == ["link"]
