"""Shared fixtures: every test gets its own cache dir, so no test sees another's index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "wto-msme-presentations.txt"

# Fixtures that load the real model (directly or by building an index): a test that uses one is in the slow lane.
MODEL_FIXTURES = frozenset({"built_index", "assistant", "st_encoder", "onnx_encoder", "built", "pristine", "old_index"})


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


LOADED: list[str] = []  # the models loaded in this process since the last test began


def _recording(owner: Any, name: str) -> None:
    original = getattr(owner, name)

    def load(*args: Any, **kwargs: Any) -> Any:
        LOADED.append(f"{owner.__name__}.{name}")
        return original(*args, **kwargs)

    setattr(owner, name, load)


def pytest_configure(config: pytest.Config) -> None:
    """In the fast lane (-m "not slow"), every way of loading the model is recorded, so a test that loads it fails."""
    if "not slow" in (config.option.markexpr or ""):
        from embeddings import encoder, query_encoder

        _recording(encoder, "load_sentence_transformer")
        _recording(query_encoder, "load_sentence_transformer")  # imported there by name
        _recording(query_encoder.OnnxEncoder, "__init__")


@pytest.fixture(autouse=True)
def _fast_lane_loads_no_model():
    LOADED.clear()
    yield
    if LOADED:
        pytest.fail(f"the fast lane loads no model, but this test did ({LOADED[0]}): mark it slow")


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
