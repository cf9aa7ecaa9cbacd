"""Property-based tests of the catalogue reader: whatever the bytes, entries or a CatalogueError.

Two kinds of input: arbitrary (bytes, text, the bundled export mangled at random) where the only
promise is "entries or a clear error, never another exception"; and catalogue-like documents built
from random titles with commas, institutions, types, dates, summaries, links and footnotes, where
the promise is exact: :func:`qa.catalogue.export.to_text` writes entries that read back as the same entries.
"""

from __future__ import annotations

import atexit
import io
import shutil
import tempfile
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from qa.catalogue.dates import InvalidDate, parse_date, parse_period
from qa.catalogue.export import format_date, to_text
from qa.catalogue.ids import assign_ids
from qa.catalogue.load import load_catalogue
from qa.catalogue.model import INSTITUTION_TYPES, Catalogue, Entry
from qa.catalogue.parser import heading_key, parse_paragraphs
from qa.catalogue.text_reader import read_text
from qa.engine import MAX_QUESTION_CHARS, clean_question
from qa.errors import CatalogueError, UsageError
from qa.question.when import read_bound

from .conftest import SEED

SEED_BYTES = SEED.read_bytes()
SEED_LINES = SEED.read_text(encoding="utf-8").splitlines()
FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_TMP = Path(tempfile.mkdtemp(prefix="msme-qa-properties-"))
atexit.register(shutil.rmtree, _TMP, True)


def parse_bytes(data: bytes) -> Catalogue | None:
    """The reader's contract: a Catalogue, or None for a CatalogueError. Any other exception fails."""
    try:
        return parse_paragraphs(read_text(data))
    except CatalogueError as exc:
        assert str(exc) and "\n" not in str(exc)
        return None


def load_file(data: bytes, suffix: str) -> Catalogue | None:
    path = _TMP / f"catalogue{suffix}"
    path.write_bytes(data)
    try:
        return load_catalogue(path)
    except CatalogueError as exc:
        message = str(exc)
        assert message.startswith(str(path)) and "Traceback" not in message
        return None


def assert_well_formed(cat: Catalogue) -> None:
    """What every parsed catalogue satisfies, whatever it was read from."""
    ids = [e.id for e in cat.entries]
    assert len(ids) == len(set(ids)), "ids are unique"
    for e in cat.entries:
        assert isinstance(e.date, date)
        assert e.institution_type in INSTITUTION_TYPES
        assert e.link == (e.links[-1] if e.links else None)
        assert len(set(e.links)) == len(e.links)
        assert e.title.strip() and "\n" not in e.summary
        assert e.content_hash  # hashable as UTF-8: no lone surrogates anywhere
        e.to_json()


# --- arbitrary input --------------------------------------------------------------------------------


@FAST
@given(st.binary(max_size=3000))
@example(b"\xff\xfe\x00")  # UTF-16 BOM, then half a code unit
@example(b"\xfe\xff\xd8\x00")  # UTF-16 BOM, then a lone surrogate
@example(b"\xef\xbb\xbf")  # only a UTF-8 BOM
def test_any_bytes_give_entries_or_a_catalogue_error(data: bytes) -> None:
    cat = parse_bytes(data)
    if cat is not None:
        assert_well_formed(cat)


@FAST
@given(st.text(max_size=2000), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_any_text_in_any_encoding_gives_entries_or_a_catalogue_error(text: str, encoding: str) -> None:
    cat = parse_bytes(text.encode(encoding, errors="replace" if encoding == "cp1252" else "surrogatepass"))
    if cat is not None:
        assert_well_formed(cat)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400), st.sampled_from([".txt", ".docx"]))
def test_any_file_gives_a_catalogue_or_a_message_naming_it(data: bytes, suffix: str) -> None:
    cat = load_file(data, suffix)
    if cat is not None:
        assert cat.entries and cat.path is not None
        assert_well_formed(cat)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_a_damaged_word_document_is_a_catalogue_error(data: st.DataObject) -> None:
    """Real .docx packages with a member truncated or replaced by random bytes."""
    original = (SEED.parent.parent / "tests" / "fixtures" / "catalogue_pandoc.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(original)) as zin:
        members = {info.filename: zin.read(info) for info in zin.infolist()}
    victim = data.draw(st.sampled_from(sorted(members)), label="member")
    body = members[victim]
    cut = data.draw(st.integers(0, len(body)), label="cut")
    members[victim] = body[:cut] + data.draw(st.binary(max_size=50), label="junk")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for name, content in members.items():
            zout.writestr(name, content)
    cat = load_file(out.getvalue(), ".docx")
    if cat is not None:
        assert_well_formed(cat)


@st.composite
def mangled_seed(draw: st.DrawFn) -> bytes:
    """The bundled export with lines deleted, duplicated, moved, spliced with junk, or cut short."""
    lines = list(SEED_LINES)
    for _ in range(draw(st.integers(1, 12))):
        op = draw(st.sampled_from(["delete", "duplicate", "move", "junk", "splice"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "move":
            lines.insert(draw(st.integers(0, len(lines) - 1)), lines.pop(i))
        elif op == "junk":
            lines.insert(i, draw(st.text(max_size=80)))
        else:
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.text(max_size=20)) + lines[i][at:]
    data = "\n".join(lines).encode("utf-8", errors="surrogatepass")
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]  # a truncated file, maybe mid-character
    return data


@settings(max_examples=80, deadline=None)
@given(mangled_seed())
def test_a_mangled_bundled_export_gives_entries_or_a_catalogue_error(data: bytes) -> None:
    cat = parse_bytes(data)
    if cat is not None:
        assert_well_formed(cat)


@FAST
@given(st.text(max_size=200))
def test_dates_parse_or_say_the_day_does_not_exist(text: str) -> None:
    try:
        parsed = parse_date(text)
    except InvalidDate:
        return
    assert parsed is None or isinstance(parsed, date)
    period = parse_period(text)
    assert period is None or all(isinstance(day, date) for day in period)


@FAST
@given(st.text(max_size=40), st.booleans())
@example("2022-13", False)
@example("31 February 2021", True)
@example("Q5 2022", True)
@example("the first half of", False)
def test_a_list_bound_in_question_words_is_a_date_or_a_value_error(text: str, end: bool) -> None:
    try:
        assert isinstance(read_bound(text, end=end), date)
    except ValueError as exc:
        assert str(exc)


@FAST
@given(st.text(max_size=3000))
@example("\x00\x1b[31m\u200b")
@example("\ud800")  # a lone surrogate, as a broken terminal may send
def test_a_question_is_cleaned_to_one_printable_line_or_refused(question: str) -> None:
    try:
        text = clean_question(question)
    except UsageError as exc:
        assert str(exc).startswith("the question ") and "\n" not in str(exc)
        return
    assert text and len(text) <= MAX_QUESTION_CHARS
    assert text.isprintable() and text == text.strip()
    text.encode("utf-8")  # what the encoder and the JSON output need


# --- catalogue-like documents: the round trip --------------------------------------------------------

CATEGORIES = [
    "Implementation of the December 2020 Package",
    "Innovation",
    "Intellectual Property Tools",
    "Low-value shipments",
    "MSME Provisions in Regional Trade Agreements (RTAs)",
    "MSME Financing",
    "Cyber-Readiness",
    "Digital",
    "Other Topics",
]
SUBSECTIONS = ["Cross-border Payments", "Standards to digitalize trade", "Women entrepreneurs", "Café et PME"]
INSTITUTIONS = [
    "ITC",
    "UNCTAD",
    "World Bank",
    "WTO",
    "dLocal",
    "Australia's Department of Home Affairs",
    "Ecuador's Ministry for Production, Trade, Investment and Fisheries",
    "Coalition to Reduce Cyber Risk (CR2)",
    "Philippines' Government",
    "Ministère de l'Économie, des Finances et de la Relance",
    "中国国际贸易促进委员会",
]
CAPITALISED = ["Trade", "MSMEs", "Global", "Update", "Digital", "E-commerce", "Women", "Africa", "GST", "Café"]
LOWER = ["on", "and", "the", "growth", "payments", "finance", "of", "gender", "standards", "données", "小企业"]
WORD = st.sampled_from(CAPITALISED + LOWER)
AFTER_COMMA = [w for w in LOWER if w.islower()]  # "小企业" is not lower case: after a comma it would start a name


@st.composite
def titles(draw: st.DrawFn) -> str:
    """Titles with commas; a comma is followed by a lower-case word, as in "Trade, gender and growth"."""
    words = [draw(st.sampled_from(CAPITALISED))]
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.integers(0, 4)) == 0:
            words[-1] += ","
            words.append(draw(st.sampled_from(AFTER_COMMA)))
        else:
            words.append(draw(WORD))
    return " ".join(words)


def urls(prefix: str) -> st.SearchStrategy[str]:
    path = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-/", min_size=1, max_size=25)
    return st.builds(
        lambda p, ext: f"https://www.wto.org/{prefix}/{p.strip('/') or 'x'}{ext}",
        path,
        st.sampled_from(["", ".pdf", ".htm"]),
    )


@st.composite
def summaries(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Sentences ending with full stops; some cite a link inline ("(https://...)") mid-sentence."""
    sentences, inline = [], []
    for _ in range(draw(st.integers(0, 4))):
        words = [draw(st.sampled_from(CAPITALISED)), *draw(st.lists(WORD, min_size=1, max_size=12))]
        if draw(st.integers(0, 3)) == 0:
            url = draw(urls("inline"))
            if url not in inline:
                inline.append(url)
            words.insert(draw(st.integers(1, len(words) - 1)) if len(words) > 1 else 1, f"({url})")
            words.append("here")  # a link is never the last word: a trailing URL is a link line, not prose
        sentences.append(" ".join(words) + draw(st.sampled_from([".", ".", ";"])))
    summary = " ".join(sentences)
    if summary and not summary.endswith("."):
        summary += "."
    return summary, inline


@st.composite
def entry_specs(draw: st.DrawFn, categories: list[str]) -> dict:
    summary, inline = draw(summaries())
    before = draw(st.lists(urls("before"), max_size=1, unique=True))
    after = draw(st.lists(urls("slides"), max_size=2, unique=True))
    category = draw(st.sampled_from(categories))
    return {
        "category": category,
        "subcategory": draw(st.none() | st.sampled_from(SUBSECTIONS)),
        "title": draw(titles()),
        "institution": draw(st.sampled_from(INSTITUTIONS)),
        "institution_type": draw(st.sampled_from(INSTITUTION_TYPES)),
        "date": draw(st.dates(date(1995, 1, 1), date(2035, 12, 31))),
        "links": tuple(dict.fromkeys([*before, *inline, *after])),
        "summary": summary,
        "note": draw(st.none() | st.sampled_from(["This presentation also concerns digital trade.", "Revised."])),
    }


@st.composite
def catalogues(draw: st.DrawFn) -> Catalogue:
    categories = draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=5, unique_by=heading_key))
    specs = draw(st.lists(entry_specs(categories), min_size=1, max_size=12))
    ids = assign_ids([(s["title"], s["date"]) for s in specs])
    entries = tuple(
        Entry(id=i, link=s["links"][-1] if s["links"] else None, **s) for i, s in zip(ids, specs, strict=True)
    )
    days = sorted(s["date"] for s in specs)
    period = draw(st.none() | st.just((days[0], days[-1])))
    return Catalogue(path=None, entries=entries, categories=tuple(categories), period=period)


def read_back(text: str, encoding: str = "utf-8") -> Catalogue:
    return parse_paragraphs(read_text(text.encode(encoding)))


def test_the_bundled_catalogue_written_back_reads_the_same(catalogue: Catalogue) -> None:
    again = read_back(to_text(catalogue))
    assert again.entries == catalogue.entries
    assert (again.categories, again.period, again.anomalies) == (catalogue.categories, catalogue.period, ())
    assert read_back(to_text(again)).entries == catalogue.entries


def test_a_footnote_is_written_as_the_text_export_writes_it(catalogue: Catalogue) -> None:
    noted = next(e for e in catalogue.entries if e.note)
    line = next(line for line in to_text(catalogue).splitlines() if "[footnoteRef:" in line)
    assert line == f"{noted.title}, {noted.institution}[footnoteRef:1] ({noted.institution_type}) [1: {noted.note}]"


@settings(max_examples=100, deadline=None)
@given(catalogues(), st.sampled_from(["utf-8", "utf-16", "utf-8-sig"]))
def test_generated_catalogues_written_out_read_back_the_same(cat: Catalogue, encoding: str) -> None:
    text = to_text(cat)
    again = read_back(text, encoding)
    assert again.entries == cat.entries, text
    assert again.categories == cat.categories and again.period == cat.period
    assert again.anomalies == ()


def content(e: Entry) -> tuple:
    """Everything but the id (ids of same-titled talks shift when one of them is left out)."""
    return (e.category, e.subcategory, e.title, e.institution, e.institution_type, e.date, e.links, e.summary, e.note)


@st.composite
def damaged_catalogues(draw: st.DrawFn) -> tuple[Catalogue, str]:
    """A generated catalogue whose export lost date lines, got impossible dates or duplicated entries."""
    cat = draw(catalogues())
    lines = to_text(cat).splitlines()
    dated = [i for i, line in enumerate(lines) if any(line == format_date(e.date) for e in cat.entries)]
    for i in draw(st.lists(st.sampled_from(dated), max_size=3, unique=True)) if dated else []:
        lines[i] = draw(
            st.sampled_from(
                ["", "31 February 2021", "30 February 2022", "2021-02-29", "0000-01-01", "Date to be confirmed"]
            )
        )
    return cat, "\n".join(lines)


@settings(max_examples=60, deadline=None)
@given(damaged_catalogues())
def test_entries_without_a_real_date_are_left_out_and_reported(case: tuple[Catalogue, str]) -> None:
    cat, text = case
    again = parse_bytes(text.encode())
    assert again is not None
    assert_well_formed(again)
    assert len(again.entries) <= len(cat.entries)
    lost = len(cat.entries) - len(again.entries)
    assert len(again.anomalies) >= (1 if lost else 0)
    originals = [content(o) for o in cat.entries]
    for e in again.entries:
        assert content(e) in originals, "an entry changed because its neighbour lost its date"


@settings(max_examples=60, deadline=None)
@given(catalogues(), st.data())
def test_duplicated_entries_get_distinct_ids_and_round_trip(cat: Catalogue, data: st.DataObject) -> None:
    twice = data.draw(st.lists(st.sampled_from(cat.entries), min_size=1, max_size=3))
    entries = list(cat.entries) + [replace(e) for e in twice]
    ids = assign_ids([(e.title, e.date) for e in entries])
    doubled = replace(cat, entries=tuple(replace(e, id=i) for e, i in zip(entries, ids, strict=True)))
    again = read_back(to_text(doubled))
    assert [e.id for e in again.entries] == ids and len(set(ids)) == len(ids)
    assert again.entries == doubled.entries


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_the_bundled_catalogue_in_other_encodings_round_trips(catalogue: Catalogue, encoding: str) -> None:
    assert read_back(to_text(catalogue), encoding).entries == catalogue.entries
