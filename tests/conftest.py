"""Shared fixtures: every test gets its own cache dir, so no test sees another's index."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "wto-msme-presentations.txt"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the user cache and config dirs at a fresh temporary directory."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    for var in ("MSME_QA_CATALOGUE", "MSME_QA_INDEX", "MSME_QA_MODEL", "MSME_QA_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def catalogue():
    from qa.catalogue.load import load_catalogue

    return load_catalogue(SEED)


@pytest.fixture(scope="session")
def by_title(catalogue):
    """Entries by title; for titles used more than once, the list of them."""
    table: dict[str, list] = {}
    for entry in catalogue.entries:
        table.setdefault(entry.title, []).append(entry)
    return table


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled catalogue's index, built once per test session with the real model."""
    import os

    from qa.catalogue.load import load_catalogue
    from qa.service import rebuild

    directory = tmp_path_factory.mktemp("index") / "bundled"
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("build-cache"))
    try:
        rebuild(load_catalogue(SEED), directory, None)
    finally:
        if saved is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = saved
    return directory


@pytest.fixture(scope="session")
def assistant(built_index: Path):
    """The real assistant over the bundled catalogue (real model, real FAISS index)."""
    from qa.service import open_assistant

    return open_assistant(SEED, built_index, None)


@pytest.fixture(scope="session")
def lexicon(catalogue):
    """What the question reader knows of the bundled catalogue (no model needed)."""
    from qa.question.query import Lexicon

    return Lexicon.of(catalogue)


def read(question: str, lexicon):
    """A question read into a Query as the engine reads it, without the model."""
    from qa.engine import clean_question
    from qa.question.query import read_query

    return read_query(clean_question(question), lexicon)
