"""`list`, `show`, `check` through the real CLI: CliRunner in-process and a real subprocess."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app

from .conftest import ROOT, SEED

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_list_json_gives_every_entry_with_the_contract_fields(catalogue):
    result = runner.invoke(app, ["list", "--json"])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)
    assert len(entries) == 48
    assert set(entries[0]) == {
        "id", "title", "institution", "institution_type", "date", "category", "subcategory",
        "link", "links", "summary", "note",
    }  # fmt: skip
    assert [e["date"] for e in entries] == sorted(e["date"] for e in entries)
    australia = next(e for e in entries if e["title"].startswith("Australia's experience"))
    assert australia["institution"] == "Australia's Department of Home Affairs"
    assert australia["institution_type"] == "Member"
    assert australia["date"] == "2021-05-04"
    assert australia["category"] == "Low-value shipments"
    assert australia["link"] == "https://www.wto.org/english/tratop_e/msmes_e/australia_gst0521.pdf"
    assert "AUD 1,000" in australia["summary"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--institution", "ITC"], 6),
        (["--institution", "International Trade Centre"], 6),
        (["--institution", "uncitral"], 2),
        (["--institution", "Global Cyber Alliance"], 1),
        (["--category", "Sustainability"], 5),
        (["--category", "cross-border payments"], 4),
        (["--category", "cyber readiness"], 4),
        (["--since", "2022-10", "--until", "October 2022"], 6),
        (["--since", "2023"], 2),
        (["--until", "2021-02-18"], 3),
        (["--institution", "ITC", "--since", "2022"], 5),
        (["--institution", "Nobody At All"], 0),
        # the period grammar of questions: "Q2 2022", "May 2021", "the first half of 2022", "early 2022"
        (["--since", "Q2 2022", "--until", "Q2 2022"], 4),
        (["--since", "May 2021", "--until", "May 2021"], 7),
        (["--since", "the first half of 2022", "--until", "the first half of 2022"], 12),
        (["--since", "since 2023"], 2),
        (["--until", "before 19 February 2021"], 3),
    ],
)
def test_list_filters(args, expected):
    result = runner.invoke(app, ["list", "--json", *args])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == expected


def test_list_table_is_readable_text_when_piped():
    result = run("list", "--institution", "GCA", env={"COLUMNS": "120"})
    assert result.returncode == 0
    assert "GCA Cybersecurity Toolkit for Small Business" in result.stdout
    assert "Global Cyber Alliance (Other)" in result.stdout
    assert "\x1b[" not in result.stdout


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("someday", "'someday' is not a date; use forms like 2022, 2022-05, May 2022 or 2022-05-04"),
        ("2022 and more", "'2022 and more' is not only a date ('and more')"),
        ("31 February 2022", "'31 February 2022' is not a real date"),
        ("2022-13", "'2022-13' is not a date"),
        ("December", "'December' names a month of no year; add the year: December 2022"),
        ("before 2022", "'before 2022' has no start"),
    ],
)
def test_list_with_a_bad_date_is_a_usage_error(value, said):
    result = runner.invoke(app, ["list", "--since", value])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"msme-qa: {said}") and len(result.stderr.splitlines()) == 1


def test_list_last_year_is_the_calendar_year_before_this_one():
    from datetime import date

    from qa.question.when import read_bound

    today = date(2022, 3, 1)
    assert read_bound("last year", end=False, today=today) == date(2021, 1, 1)
    assert read_bound("last year", end=True, today=today) == date(2021, 12, 31)
    result = runner.invoke(app, ["list", "--json", "--since", "last year", "--until", "last year"])
    last_year = str(date.today().year - 1)
    assert result.exit_code == 0 and all(e["date"].startswith(last_year) for e in json.loads(result.stdout))


def test_show_prints_the_entry_in_full_with_its_link(catalogue):
    entry = next(e for e in catalogue.entries if e.title == "GCA Cybersecurity Toolkit for Small Business")
    result = runner.invoke(app, ["show", entry.id])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert entry.title in flat and "Global Cyber Alliance (Other)" in flat
    assert entry.link in result.stdout.replace("\n", "")
    assert " ".join(entry.summary.split()) in flat


def test_show_accepts_a_unique_id_prefix_and_json(catalogue):
    result = runner.invoke(app, ["show", "2021-05-04-australia", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["institution"] == "Australia's Department of Home Affairs"


def test_show_link_is_a_terminal_hyperlink_when_the_terminal_supports_it(catalogue):
    from rich.console import Console

    from cli.render import entry_detail

    entry = catalogue.entries[0]
    console = Console(force_terminal=True, width=200, color_system="truecolor")
    with console.capture() as captured:
        console.print(entry_detail(entry))
    assert "\x1b]8;id=" in captured.get() and entry.link in captured.get()


def test_show_unknown_or_ambiguous_id_exits_2():
    result = runner.invoke(app, ["show", "no-such-entry"])
    assert result.exit_code == 2 and "no entry has the id" in result.stderr
    result = runner.invoke(app, ["show", "2021"])
    assert result.exit_code == 2 and "matches" in result.stderr


def test_an_ambiguous_id_says_how_many_it_lists():
    many = runner.invoke(app, ["show", "2021-05-04"])
    assert many.exit_code == 2 and len(many.stderr.splitlines()) == 1
    assert "'2021-05-04' matches 7 entries; showing 5: 2021-05-04-" in many.stderr
    assert many.stderr.count("2021-05-04-") == 5 and ", ...; give more of the id" in many.stderr
    few = runner.invoke(app, ["show", "2021-02"]).stderr
    assert "'2021-02' matches 3 entries: 2021-02-18-" in few and few.count("2021-02-18-") == 3 and "..." not in few


def test_check_reports_a_missing_link_as_a_warning_that_exits_0_unless_strict():
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    assert "48 entries in 11 categories" in result.stdout and "1 warning" in result.stdout
    assert "The Climate Impact of SMEs" in result.stdout and "no link" in result.stdout
    assert runner.invoke(app, ["check", "--strict"]).exit_code == 1


def test_check_json_gives_each_problem_with_its_severity():
    result = runner.invoke(app, ["check", "--json"])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert (report["entries"], report["categories"]) == (48, 11)
    assert report["problems"] == [{
        "severity": "warning", "kind": "link", "entry": "2023-03-13-the-climate-impact-of-smes",
        "message": "'The Climate Impact of SMEs' (2023-03-13) has no link",
    }]  # fmt: skip


def test_every_kind_check_can_report_is_documented_with_its_severity():
    """docs/interface.md lists each kind under the severities the code gives it, and no kind the code lacks."""
    made: set[tuple[str, str]] = set()
    for path in (ROOT / "qa" / "catalogue").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Anomaly":
                severity = [k.value for k in node.keywords if k.arg == "severity"] + node.args[3:]
                level = severity[0].value if severity else "error"  # type: ignore[attr-defined]
                made.add((node.args[0].value, level))  # type: ignore[attr-defined]
    doc = (ROOT / "docs" / "interface.md").read_text(encoding="utf-8")
    section = doc[doc.index("`msme-qa check --json`: each problem") :]
    errors, warnings = section.split("  - warnings", 1)
    warnings = warnings[: warnings.index("\n\n")]
    documented = {(k, "error") for k in re.findall(r"`([a-z]+)`", errors)}
    documented |= {(k, "warning") for k in re.findall(r"`([a-z]+)`", warnings)}
    assert made == documented


def test_check_finds_an_entry_that_swallowed_the_next_one(tmp_path, seed_text):
    """A footnote mark after a heading's "(Type)" hides it: the entry before takes its heading, date and summary."""
    heading = next(line for line in seed_text.splitlines() if line.endswith("(Member)"))
    path = tmp_path / "marked.txt"
    path.write_text(seed_text.replace(heading, heading + "[1]", 1), encoding="utf-8")
    result = runner.invoke(app, ["check", "--json", "--catalogue", str(path)])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["entries"] == 47
    swallowed = [p for p in report["problems"] if p["kind"] == "swallowed"]
    assert len(swallowed) == 1 and swallowed[0]["severity"] == "error"
    title = re.sub(r"\[bookmark: [^\]]*\]", "", heading)[:40]
    assert title in swallowed[0]["message"]


def test_check_is_clean_on_a_catalogue_without_problems(tmp_path, seed_text):
    fixed = seed_text.replace(
        "The International Chamber of Commerce (ICC) presented The Climate Impact",
        "https://example.org/climate.pdf\nThe International Chamber of Commerce (ICC) presented The Climate Impact",
    )
    path = tmp_path / "fixed.txt"
    path.write_text(fixed, encoding="utf-8")
    result = runner.invoke(app, ["check", "--catalogue", str(path)])
    assert result.exit_code == 0, result.output
    assert "No problems found" in result.stdout


def test_check_reports_duplicates_and_dates_outside_the_period(tmp_path, seed_text):
    extra = (
        "\nGCA Cybersecurity Toolkit for Small Business, Global Cyber Alliance (Other)\n7 April 2022\nAgain.\n"
        "A talk from the future, OECD (IO)\n1 January 2030\nLater.\n"
    )
    text = seed_text.replace("Digital\n", extra + "Digital\n", 1)
    path = tmp_path / "dup.txt"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", "--catalogue", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert "2 entries are titled" in result.stdout
    assert "outside the period covered" in result.stdout


def _truncated_docx(tmp_path: Path) -> Path:
    whole = tmp_path / "whole.docx"
    with zipfile.ZipFile(whole, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>" * 200)
        zf.writestr("word/document.xml", "<w:document/>" * 500)
    cut = tmp_path / "truncated.docx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    return cut


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.txt", "no such catalogue file"),
        (lambda p: (p / "empty.txt").write_bytes(b"") and p / "empty.txt" or p / "empty.txt", "empty"),
        (lambda p: (p / "blob.txt").write_bytes(os.urandom(4096)) and p / "blob.txt", "binary"),
        (_truncated_docx, "docx"),
        (lambda p: (p / "catalogue.pdf").write_bytes(b"%PDF-1.4") and p / "catalogue.pdf", "unknown catalogue form"),
        (lambda p: p, "directory"),
    ],
)
def test_bad_catalogues_get_one_clear_line_and_exit_2(tmp_path, make, message):
    path = make(tmp_path)
    result = run("list", "--catalogue", str(path))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert 1 <= len(result.stderr.strip().splitlines()) <= 2


def test_catalogue_comes_from_the_environment_variable(tmp_path, seed_text):
    path = tmp_path / "env.txt"
    path.write_text(seed_text.split("Innovation\n[bookmark")[0], encoding="utf-8")
    result = run("list", "--json", env={"MSME_QA_CATALOGUE": str(path)})
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 6


def test_debug_shows_the_traceback(tmp_path):
    result = run("list", "--catalogue", str(tmp_path / "missing.txt"), env={"MSME_QA_DEBUG": "1"})
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_help_lists_the_commands():
    result = run("--help")
    assert result.returncode == 0
    for command in ("list", "show", "check"):
        assert command in result.stdout


def test_an_installed_copy_finds_the_bundled_catalogue(tmp_path):
    """Install the package (not editable) into a folder and load the catalogue from there."""
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert (target / "seeds" / SEED.name).is_file()
    code = "import qa.catalogue.load as c; print(c.bundled_catalogue()); print(len(c.load_catalogue().entries))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(target)},
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    path, count = out.stdout.split()
    assert path.startswith(str(target)) and count == "48"


def test_piped_output_keeps_ids_and_links_whole_and_has_no_trailing_spaces():
    ids = [e["id"] for e in json.loads(run("list", "--json").stdout)]
    listed = run("list", env={"COLUMNS": "40"})
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert not [line for line in lines if line != line.rstrip()]
    assert [line.split("id ", 1)[1] for line in lines if line.lstrip().startswith("id ")] == ids
    shown = run("show", "2021-05-04-australias", env={"COLUMNS": "40"})
    link = json.loads(run("show", "2021-05-04-australias", "--json").stdout)["link"]
    assert f"Link: {link}" in shown.stdout.splitlines()
    assert not [line for line in shown.stdout.splitlines() if line != line.rstrip()]


def test_version_names_the_program_and_its_version():
    from importlib.metadata import version

    result = run("--version")
    assert result.returncode == 0 and result.stdout == f"msme-qa {version('msme-qa')}\n"
