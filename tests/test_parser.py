"""The catalogue grammar on the real bundled export: every trap the export holds, one test each."""

from __future__ import annotations

from datetime import date

import pytest

from qa.catalogue.load import load_catalogue
from qa.catalogue.parser import parse_paragraphs
from qa.catalogue.split import split_heading
from qa.catalogue.text_reader import read_text
from qa.errors import CatalogueError


def only(by_title, title):
    entries = by_title[title]
    assert len(entries) == 1, entries
    return entries[0]


def test_the_bundled_catalogue_has_48_entries_in_11_categories(catalogue):
    assert len(catalogue.entries) == 48
    assert len(catalogue.categories) == 11
    assert catalogue.categories[0] == "Implementation of the December 2020 Package"
    assert catalogue.period == (date(2021, 2, 18), date(2023, 3, 13))
    assert {e.category for e in catalogue.entries} == set(catalogue.categories)


def test_ids_are_unique_even_for_four_same_titled_talks(catalogue, by_title):
    assert len({e.id for e in catalogue.entries}) == 48
    gth = by_title["Global Trade Helpdesk update"]
    assert [e.date for e in gth] == [date(2021, 9, 24), date(2022, 2, 8), date(2022, 4, 7), date(2023, 3, 13)]
    assert len({e.id for e in gth}) == 4


def test_id_does_not_change_when_only_the_summary_is_edited(seed_text):
    before = parse_paragraphs(read_text(seed_text.encode()))
    edited = seed_text.replace("Australia has a de minimis threshold", "Australia keeps a de minimis threshold")
    after = parse_paragraphs(read_text(edited.encode()))
    assert [e.id for e in before.entries] == [e.id for e in after.entries]
    assert [e.summary for e in before.entries] != [e.summary for e in after.entries]


def test_commas_in_titles_and_in_institutions(by_title):
    unctad = only(by_title, "Supporting MSMEs on Accounting and Financial, Sustainability and SDG Reporting")
    assert unctad.institution == "UNCTAD"
    ecuador = only(by_title, "SMEs and innovation experiences in Ecuador")
    assert ecuador.institution == "Ecuador's Ministry for Production, Trade, Investment and Fisheries"
    assert (
        only(
            by_title, "Briefing on discussions on MSMEs, IP and innovation in the context of the TRIPS Council"
        ).institution
        == "WTO"
    )


def test_split_rule_without_catalogue_knowledge():
    assert split_heading("A, B and C, Ministry of X, Y and Z", set()) == ("A", "B and C, Ministry of X, Y and Z")
    assert split_heading("A, B and C, UNCTAD", {"unctad"}) == ("A, B and C", "UNCTAD")
    assert split_heading("Current state of e-commerce and payments, dLocal", set())[1] == "dLocal"
    assert split_heading("Trade, gender and growth, OECD", set()) == ("Trade, gender and growth", "OECD")


def test_institution_with_its_own_parentheses(by_title):
    entry = only(by_title, "Importance of cybersecurity for digital trade")
    assert entry.institution == "Coalition to Reduce Cyber Risk (CR2)"
    assert entry.institution_type == "Other"


def test_footnote_glued_to_the_institution_becomes_the_note(by_title):
    entry = only(by_title, "Outcomes of the Global MSME Forum 2021 and Updates on the APEC Boracay Action Agenda")
    assert entry.institution == "Philippines' Government"
    assert entry.note == (
        "This presentation contains relevant content for the sections on MSME financing, "
        "sustainability, trade facilitation, and digital."
    )
    assert sum(1 for e in by_title.values() for x in e if x.note) == 1


def test_every_institution_type_spelling(catalogue, by_title):
    assert {e.institution_type for e in catalogue.entries} == {
        "IO",
        "Member",
        "Secretariat",
        "Other",
        "organized by Member",
    }
    # "(other)" in lower case is the same type as "(Other)"
    assert only(by_title, "The Model Law on Electronic Transferable Records – MLETR").institution_type == "Other"
    assert only(by_title, "Strengthening MSME Cyber Security").institution_type == "organized by Member"


def test_sub_sections_are_not_categories(catalogue, by_title):
    payments = [e for e in catalogue.entries if e.subcategory == "Cross-border Payments"]
    assert len(payments) == 4 and {e.category for e in payments} == {"MSME Financing"}
    standards = [e for e in catalogue.entries if e.subcategory == "Standards to digitalize trade"]
    assert len(standards) == 2 and {e.category for e in standards} == {"Digital"}
    # the sub-section ends at the next category
    assert only(by_title, "SME & Africa Strategies").subcategory is None
    assert "Cross-border Payments" not in catalogue.categories


def test_category_heading_spelled_differently_from_the_list(by_title):
    # the list says "Cyber‑Readiness" (non-breaking hyphen), the heading "Cyber-readiness"
    assert only(by_title, "GCA Cybersecurity Toolkit for Small Business").category == "Cyber-Readiness"


def test_blank_line_between_heading_and_date_and_split_summary(by_title):
    entry = only(by_title, "Outcomes of the Global MSME Forum 2021 and Updates on the APEC Boracay Action Agenda")
    assert entry.date == date(2022, 2, 8)
    assert entry.summary.endswith("technical assistance and capacity building; and access to finance.")
    assert "\n" not in entry.summary


def test_link_inside_summary_and_at_its_end(by_title):
    entry = only(by_title, "MSME provisions in Regional Trade Agreements")
    assert entry.links == (
        "https://www.wto.org/english/tratop_e/msmesandtra_e/rtaprovisions_e.htm",
        "https://www.wto.org/english/tratop_e/msmes_e/rta_240621.pdf",
    )
    assert entry.link == "https://www.wto.org/english/tratop_e/msmes_e/rta_240621.pdf"
    assert "(https://www.wto.org/english/tratop_e/msmesandtra_e/rtaprovisions_e.htm)" in entry.summary


def test_url_at_the_end_of_a_summary_line_is_a_link_not_prose(by_title):
    entry = [e for e in by_title["Global Trade Helpdesk update"] if e.date == date(2022, 4, 7)][0]
    assert (
        entry.summary
        == "Update on the national information as per Annex 2 of the package and planned GTH informational webinars."
    )
    assert entry.link == "https://www.wto.org/english/tratop_e/msmes_e/gth_update_7april22.pdf"


def test_url_followed_by_a_full_stop(by_title):
    entry = only(by_title, "Outcomes of the Global MSME Forum 2021 and Updates on the APEC Boracay Action Agenda")
    assert (
        entry.link == "https://www.wto.org/english/tratop_e/msmes_e/822022_e/Philippines_APEC_Boracay_Action_Agenda.pdf"
    )


def test_entry_without_link(by_title):
    entry = only(by_title, "The Climate Impact of SMEs")
    assert entry.link is None and entry.links == ()


def test_non_breaking_hyphens_become_plain_hyphens(catalogue, seed_text):
    assert "\u2011" in seed_text
    for entry in catalogue.entries:
        for value in (entry.title, entry.summary, entry.category):
            assert "\u2011" not in value and "\u00a0" not in value
    assert "trade-related challenges" in " ".join(e.summary for e in catalogue.entries)


def test_footer_is_ignored(catalogue):
    assert not any("image1.emf" in e.summary or "_____" in e.summary for e in catalogue.entries)


def test_windows_1252_export_reads_the_same(tmp_path, seed_text, catalogue):
    path = tmp_path / "catalogue.txt"
    path.write_bytes(seed_text.replace("\u2011", "-").encode("cp1252"))
    assert load_catalogue(path).entries == catalogue.entries


def test_utf16_and_bom_exports_read_the_same(tmp_path, seed_text, catalogue):
    for encoding in ("utf-16", "utf-8-sig"):
        path = tmp_path / f"catalogue-{encoding}.txt"
        path.write_bytes(seed_text.encode(encoding))
        assert load_catalogue(path).entries == catalogue.entries


def test_crlf_line_endings(tmp_path, seed_text, catalogue):
    path = tmp_path / "crlf.txt"
    path.write_bytes(seed_text.replace("\n", "\r\n").encode())
    assert load_catalogue(path).entries == catalogue.entries


def test_a_date_that_does_not_exist_is_reported_and_the_entry_left_out(seed_text):
    broken = seed_text.replace("4 May 2021\n\nThe Australian", "31 February 2021\n\nThe Australian")
    cat = parse_paragraphs(read_text(broken.encode()))
    assert len(cat.entries) == 47
    assert any("31 February 2021" in a.message for a in cat.anomalies)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (bytes(range(256)) * 8, "binary"),
        (b"Just some notes\nabout nothing in particular.\n", "no presentations found"),
    ],
)
def test_unusable_text_files(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(path)


_DATELESS = """\
Thematic categories: 1) Innovation; 2) Digital.

Innovation
Trade, ITC (IO)
1 January 2000

{lost}
Trade, ITC (IO)
1 January 2000

https://www.wto.org/slides/x
__________
"""


@pytest.mark.parametrize(
    ("lost", "subcategory", "category"),
    [
        # the date line blanked, the entry had no summary: the next line is the next sub-section's heading
        ("Trade, ITC (IO)\n\n\n\nCross-border Payments", "Cross-border Payments", "Innovation"),
        ("Trade, ITC (IO)\n\n\n\nDigital\nCross-border Payments", "Cross-border Payments", "Digital"),
        # the date line deleted outright, as in the bundled export's layout (no blank after an entry)
        ("Trade, ITC (IO)\nCross-border Payments", "Cross-border Payments", "Innovation"),
        ("Trade, ITC (IO)\nDigital\nWomen entrepreneurs", "Women entrepreneurs", "Digital"),
        # a note where the date should be is not a sub-section heading either
        ("Trade, ITC (IO)\nDate to be confirmed\n", None, "Innovation"),
        ("Trade, ITC (IO)\nDate TBC", None, "Innovation"),
    ],
)
def test_an_entry_without_a_date_changes_no_neighbour(lost, subcategory, category):
    """The dateless entry is left out and reported; the sub-section heading after it stays with the next entry."""
    cat = parse_paragraphs(read_text(_DATELESS.format(lost=lost).encode()))
    first, second = cat.entries
    assert (first.category, first.subcategory, first.links, first.summary) == ("Innovation", None, (), "")
    assert (second.category, second.subcategory) == (category, subcategory)
    assert second.links == ("https://www.wto.org/slides/x",) and second.summary == ""
    assert [a.kind for a in cat.anomalies] == ["date"] and "has no date line" in cat.anomalies[0].message
