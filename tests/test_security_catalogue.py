"""A catalogue from someone else: control characters are taken out when it is read (and `check` says
where they were), and a link that is not http(s) is never a link. Both forms, through the real CLI."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from qa.catalogue.controls import clean_field, has_controls, strip_controls
from qa.catalogue.links import foreign_link, is_web_link
from qa.catalogue.paragraphs import Paragraph

from .conftest import SEED
from .hostile import FIELDS, GCA_LINK, PANDOC_DOCX, entry_date, write_catalogue
from .test_reliability_support import assert_clean_failure, run_cli

runner = CliRunner()
FORMS = ("text", "docx")
# Control characters only: cleaned away, they leave the field as it was, so every entry still parses.
CONTROLS_ONLY = "\x1b\x07\u009b\u0090\u009c\x7f"
OSC8 = re.compile(r"\x1b\]8;[^\x1b\x07]*;([^\x1b\x07]*)\x1b\\")


def cli(*args: str, terminal: bool = False):
    """The CLI in-process; ``terminal`` makes Rich style its output and emit OSC 8 links as to a terminal."""
    env = {"FORCE_COLOR": "1", "COLUMNS": "200"} if terminal else {"COLUMNS": "200"}
    return runner.invoke(app, list(args), env=env)


# --- the cleaning itself ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean", "marks"),
    [
        ("plain text", "plain text", ()),
        ("a\x1b[2Jb", "a[2Jb", (1,)),
        ("tab\there", "tab here", ()),  # line structure: a space, not reported
        ("  \x07lead", "lead", (0,)),
        ("end \x9b", "end", (3,)),
        ("a \x1b b", "a b", (2,)),
        ("x\x0by", "x y", (1,)),  # a vertical tab: a space, and reported
    ],
)
def test_a_field_loses_its_control_characters_and_says_where(raw, clean, marks):
    assert clean_field(raw) == (clean, marks)


def test_a_paragraph_cannot_hold_a_control_character():
    para = Paragraph("GCA \x1b]8;;http://evil.example\x07Toolkit", links=("https://x.org/\x9b2J",), notes=("n\x00",))
    assert not has_controls(para.text + "".join(para.links) + "".join(para.notes))
    assert para.text == "GCA ]8;;http://evil.exampleToolkit"
    assert para.removed.text == (4, 27) and para.removed.links == {0} and para.removed.notes == {0}


def test_the_renderers_filter_removes_every_control_character():
    every = "".join(map(chr, [*range(0x20), *range(0x7F, 0xA0)]))
    assert strip_controls(f"a{every}b") == "ab"
    assert strip_controls("line\nbreak\x1b", keep_newlines=True) == "line\nbreak"


# --- check says which entry and which field ---------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("field", FIELDS)
def test_check_names_the_entry_and_the_field_that_held_control_characters(tmp_path, form, field):
    catalogue = write_catalogue(tmp_path, form, field, CONTROLS_ONLY)
    result = cli("check", "--catalogue", str(catalogue))
    assert result.exit_code == 1, result.output  # cleaned and served, but the file is not what it seems: an error
    reports = [line for line in result.stdout.splitlines() if line.startswith("error [control]")]
    assert len(reports) == 1, result.stdout
    assert f"({entry_date(field)}): control characters were removed from the {field}" in reports[0]
    listed = json.loads(cli("list", "--json", "--catalogue", str(catalogue)).stdout)
    assert len(listed) == 48  # the entry survives, whole
    assert not has_controls(json.dumps(listed, ensure_ascii=False))
    assert not re.search(r"\\u00[0189][0-9a-f]|\\u007f", json.dumps(listed)), "not even escaped"


@pytest.mark.parametrize("form", FORMS)
def test_escape_sequences_in_a_title_never_reach_the_terminal(tmp_path, form):
    attack = "\x1b]8;;http://evil.example\x07\x1b[2J\x1b[8m\u009b31m\x07"
    catalogue = write_catalogue(tmp_path, form, "title", attack)
    for args in (["list", "--institution", "GCA"], ["show", "2022-04-07-gca"]):
        result = cli(*args, "--catalogue", str(catalogue), terminal=True)
        assert result.exit_code == 0, result.output
        assert "GCA Cybersecurity" in result.stdout
        styling = re.sub(r"\x1b\[[0-9;]*m", "", OSC8.sub("", result.stdout))
        assert not has_controls(styling.replace("\n", "")), repr(styling)
        assert set(OSC8.findall(result.stdout)) <= {GCA_LINK, ""}  # no planted hyperlink


# --- links that are not web links -------------------------------------------------------------------

UNSAFE = ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,<script>alert(1)</script>")


def with_link(tmp_path: Path, form: str, link: str) -> Path:
    """The catalogue with the GCA entry's link replaced by ``link`` (a hyperlink target in the Word form)."""
    if form == "text":
        path = tmp_path / "links.txt"
        path.write_text(SEED.read_text(encoding="utf-8").replace(GCA_LINK, link), encoding="utf-8")
        return path
    path = tmp_path / "links.docx"
    with zipfile.ZipFile(PANDOC_DOCX) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                data = data.replace(GCA_LINK.encode(), link.replace("&", "&amp;").replace("<", "&lt;").encode())
            dst.writestr(info, data)
    return path


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("link", UNSAFE)
def test_a_link_that_is_not_http_is_inert_text_and_reported(tmp_path, form, link):
    catalogue = with_link(tmp_path, form, link)
    checked = cli("check", "--catalogue", str(catalogue))
    assert checked.exit_code == 1  # shown as inert text, and an error: no catalogue of presentations needs one
    flat = " ".join(checked.stdout.split())
    assert f"links to {link!r}, which is not a web link (http or https)" in flat
    problems = json.loads(cli("check", "--json", "--catalogue", str(catalogue)).stdout)["problems"]
    errors = [(p["kind"], p["entry"]) for p in problems if p["severity"] == "error"]
    assert errors == [("link", "2022-04-07-gca-cybersecurity-toolkit-for-small")], problems
    shown = cli("show", "2022-04-07-gca", "--catalogue", str(catalogue), terminal=True)
    assert shown.exit_code == 0, shown.output
    assert f"{link} (not a web link)" in shown.stdout.replace("\n", "")
    listed = cli("list", "--institution", "GCA", "--catalogue", str(catalogue), terminal=True)
    for output in (shown.stdout, listed.stdout):
        assert set(OSC8.findall(output)) <= {""}, "never an OSC 8 target"
    entry = json.loads(cli("show", "2022-04-07-gca", "--json", "--catalogue", str(catalogue)).stdout)
    assert entry["link"] == link  # the data says what the catalogue says; only its display is inert


def test_a_web_link_stays_a_link():
    assert is_web_link(GCA_LINK) and is_web_link("HTTP://example.org/x")
    for link in (*UNSAFE, "https:/no-host", "//example.org", "slides.pdf", "http://[::1", None):
        assert not is_web_link(link)


def test_only_a_line_that_is_wholly_a_link_is_read_as_one():
    assert foreign_link("javascript:alert(1)") == "javascript:alert(1)"
    assert foreign_link("ftp://files.example.org/slides.pdf") == "ftp://files.example.org/slides.pdf"
    for prose in ("Note: javascript is mentioned", "10:30 in Geneva", "mailto:msme@example.org", GCA_LINK):
        assert foreign_link(prose) is None


@pytest.mark.slow
def test_chat_will_not_open_a_link_that_is_not_a_web_link(tmp_path, built_index):
    """The link is not embedded, so the session's index serves this catalogue as it is: no re-encoding."""
    catalogue = with_link(tmp_path, "text", "javascript:alert(1)")
    browser = tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\necho "$1" >> {tmp_path / "opened.txt"}\n')
    browser.chmod(0o755)
    lines = "Who presented on cyber security?\n/open 4\n/open 1\n"
    env = {"MSME_QA_INDEX": str(built_index), "BROWSER": str(browser)}
    result = run_cli("chat", "--catalogue", str(catalogue), env=env, stdin=lines)
    assert result.returncode == 0, result.stderr
    assert "GCA Cybersecurity Toolkit" in result.stdout
    refused = [line for line in result.stderr.splitlines() if "not a web link" in line]
    assert refused == [
        "msme-qa: [4] GCA Cybersecurity Toolkit for Small Business: its link 'javascript:alert(1)' "
        "is not a web link; not opening it"
    ], result.stderr
    assert (tmp_path / "opened.txt").read_text().splitlines() == [
        "https://www.wto.org/english/tratop_e/msmes_e/cybersecure_canada_18221.pdf"
    ]  # source 1, a web link, was opened


def test_a_file_name_with_escape_codes_is_reported_without_them(tmp_path):
    result = cli("list", "--catalogue", str(tmp_path / "evil\x1b[2J\x07.txt"))
    stderr = assert_clean_failure(result, 2, "no such catalogue file")
    assert not has_controls(stderr.replace("\n", ""))
