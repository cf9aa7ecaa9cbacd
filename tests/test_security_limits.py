"""Bounded reading, through the real CLI: a decompression bomb, a lying zip directory, too many parts, a
text export too large. Each is refused with exit 2 and one line naming the file, the part, its size, the
limit and the variable that raises it. The bombs are made here, on the fly (bench/hostile_files.py);
what refusing them costs is measured by bench/bomb.py, not timed here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app

from .conftest import ROOT, SEED
from .test_reliability_support import assert_clean_failure, run_cli

sys.path.insert(0, str(ROOT / "bench"))

from hostile_files import write_bomb, write_many_parts  # noqa: E402

runner = CliRunner()
MB = 1_000_000


def refused(result, *words: str) -> str:
    """Exit 2, one line, naming every one of ``words``."""
    stderr = assert_clean_failure(result, 2, *words)
    assert len(stderr.strip().splitlines()) == 1, stderr
    return stderr


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("bombs")
    return {
        "honest": write_bomb(work / "bomb.docx", 100 * MB),
        "lying": write_bomb(work / "lying.docx", 100 * MB, lie=True),
        "dense": write_bomb(work / "dense.docx", 10 * MB),  # under the size cap, far over the ratio cap
        "dense-lying": write_bomb(work / "dense-lying.docx", 10 * MB, lie=True),
    }


def test_a_bomb_is_refused_from_its_zip_directory(bombs):
    path = bombs["honest"]
    result = run_cli("list", "--catalogue", str(path))  # a real process: nothing was inflated to refuse it
    stderr = refused(result, str(path), "word/document.xml", "expands to 99.", "over the limit of 64 MB")
    assert "set MSME_QA_MAX_CATALOGUE_MB to raise it" in stderr


def test_a_bomb_whose_directory_lies_is_stopped_by_the_streaming_read(bombs):
    path = bombs["lying"]
    # This one deflates 430 to 1, so the ratio cap would stop it first (at 23 MB): lift that cap.
    result = run_cli("list", "--catalogue", str(path), env={"MSME_QA_MAX_COMPRESSION_RATIO": "1000"})
    refused(
        result,
        str(path),
        "word/document.xml expands to more than 64.0 MB (its zip directory says 1.0 KB)",
        "MSME_QA_MAX_CATALOGUE_MB",
    )


@pytest.mark.parametrize("command", [["list"], ["show", "anything"], ["check"], ["ask", "Who presented?"]])
def test_every_command_refuses_the_bomb_before_anything_else(bombs, command):
    result = runner.invoke(app, [*command, "--catalogue", str(bombs["honest"])])
    refused(result, "word/document.xml", "MSME_QA_MAX_CATALOGUE_MB")


def test_a_part_that_deflates_too_well_is_refused_for_its_ratio(bombs):
    result = runner.invoke(app, ["list", "--catalogue", str(bombs["dense"])])
    stderr = refused(result, "word/document.xml expands ", " times (", "over the limit of 100 times")
    assert "set MSME_QA_MAX_COMPRESSION_RATIO to raise it" in stderr
    lying = runner.invoke(app, ["list", "--catalogue", str(bombs["dense-lying"])])
    refused(lying, "expands more than 100 times (its zip directory says 1.0 KB)", "MSME_QA_MAX_COMPRESSION_RATIO")


def test_raising_the_ratio_cap_lets_the_document_be_read(bombs):
    """Past the caps, the file is what it is: here a document with no presentations in it."""
    result = runner.invoke(
        app, ["list", "--catalogue", str(bombs["dense"])], env={"MSME_QA_MAX_COMPRESSION_RATIO": "1000"}
    )
    refused(result, "no presentations found")


def test_too_many_parts_are_refused_from_the_directory(tmp_path):
    path = write_many_parts(tmp_path / "parts.docx", 1001)
    result = runner.invoke(app, ["list", "--catalogue", str(path)])
    stderr = refused(result, str(path), "the Word document has 1001 parts", "over the limit of 1000 parts")
    assert "set MSME_QA_MAX_DOCX_PARTS to raise it" in stderr


def test_a_text_export_over_the_size_cap_is_refused_before_it_is_read(tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(65 * MB)  # sparse: 65 MB by its size, nothing on disk
    result = runner.invoke(app, ["list", "--catalogue", str(huge)])
    refused(result, str(huge), "the file is 65.0 MB", "over the limit of 64 MB", "MSME_QA_MAX_CATALOGUE_MB")


def test_the_size_cap_is_what_the_variable_says(tmp_path):
    small = runner.invoke(app, ["list", "--json", "--catalogue", str(SEED)], env={"MSME_QA_MAX_CATALOGUE_MB": "0.05"})
    refused(small, "the file is 59.", "over the limit of 0.05 MB")
    assert runner.invoke(app, ["list", "--catalogue", str(SEED)], env={"MSME_QA_MAX_CATALOGUE_MB": "1"}).exit_code == 0


@pytest.mark.parametrize("value", ["abc", "0", "-5", "nan"])
def test_a_limit_that_is_not_a_positive_number_is_a_usage_error(value):
    result = runner.invoke(app, ["list", "--catalogue", str(SEED)], env={"MSME_QA_MAX_CATALOGUE_MB": value})
    refused(result, "MSME_QA_MAX_CATALOGUE_MB must be a positive number")


def test_the_real_word_catalogue_is_well_within_every_cap():
    result = runner.invoke(app, ["list", "--catalogue", str(ROOT / "tests" / "fixtures" / "catalogue_pandoc.docx")])
    assert result.exit_code == 0 and "48 presentations" in result.stdout
