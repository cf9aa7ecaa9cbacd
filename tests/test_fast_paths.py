"""Code made faster for speed gives exactly what the plain version gave.

Each fast path is checked against the slow, obviously right version it replaced: text folding and
content tokens (qa/text.py), the control-character count (qa/text_reader.py), and the command line's
value conversion without pydantic (cli/params.py) against Typer's own, end to end through CliRunner.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli.app import app
from qa.catalogue.text_reader import _looks_like_text
from qa.question import places, text

from .conftest import ROOT, SEED


# --- qa/text.py ------------------------------------------------------------------------------------
def fold_reference(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    s = s.translate({0x2019: "'", 0x2018: "'", 0x2011: "-", 0x2010: "-", 0x2013: " ", 0x2014: " ", 0xA0: " "})
    for pattern, replacement, _needle in text._PHRASE_RES:
        s = pattern.sub(replacement, s)
    return s


def content_tokens_reference(s: str) -> list[str]:
    drop = text.STOPWORDS | text.QUESTION_WORDS  # by written form: Porter stems "informal" like "information"
    words = re.findall(r"[a-z0-9]+(?:[.&][a-z0-9]+)*", fold_reference(s).replace("'s ", " "))
    return [text.stem(w) for w in words if w not in drop]


def catalogue_and_devset_texts(catalogue) -> list[str]:
    texts = [f for e in catalogue.entries for f in (e.title, e.institution, e.summary)]
    devset = (ROOT / "bench" / "devset.jsonl").read_text("utf-8").splitlines()
    return texts + [json.loads(line)["question"] for line in devset]


def test_fold_and_content_tokens_agree_with_the_reference_on_real_text(catalogue):
    for s in catalogue_and_devset_texts(catalogue):
        assert text.fold(s) == fold_reference(s)
        assert text.content_tokens(s) == content_tokens_reference(s)


PHRASES = [
    "Micro, Small and Medium-sized Enterprises", "small and medium enterprises", "SMEs'", "MSME's", "small firms",
    "cyber-security", "Cyber Readiness", "e-commerce", "E Ping", "United Nations", "intellectual property",
    "regional trade agreements", "RTAs", "supply chain finance", "Café", "naïve", "Straße", "ﬁnance", "–", "’s",
]  # fmt: skip
pieces = st.one_of(st.sampled_from(PHRASES), st.text(max_size=12), st.sampled_from([" ", ", ", "-", "'"]))


@settings(max_examples=400, deadline=None)
@given(st.lists(pieces, max_size=12).map("".join))
def test_fold_and_content_tokens_agree_with_the_reference_on_any_text(s):
    assert text.fold(s) == fold_reference(s)
    assert text.content_tokens(s) == content_tokens_reference(s)


# --- qa/places.py ---------------------------------------------------------------------------------
def economy_spans_reference(s: str) -> list[tuple[int, int]]:
    names = sorted(places.economies(), key=len, reverse=True)
    pattern = re.compile(r"(?<![\w'])(" + "|".join(re.escape(n) for n in names) + r")(?:'s|')?(?![\w])", re.IGNORECASE)
    return [m.span(0) for m in pattern.finditer(s)]


def economy_spans(s: str) -> list[tuple[int, int]]:
    return [m.span(0) for m in places._pattern().finditer(s)]


def test_economy_names_are_found_as_before_in_real_text(catalogue):
    for s in catalogue_and_devset_texts(catalogue):
        assert economy_spans(s) == economy_spans_reference(s)


NAMES = ["Niger", "Nigeria", "Nigerian", "Guinea", "Papua New Guinea", "Dominica", "Dominican Republic", "US", "us",
         "USA", "Chinese Taipei", "China", "Chinese", "Korea", "Cote d'Ivoire", "Saudi Arabia", "Saudi", "EU", "Europe",
         "European Union", "Sudan", "Austria", "Australian", "Indian", "India", "Indonesia", "Congo"]  # fmt: skip
glue = st.sampled_from(["", " ", "'s", "'", "s", "n", "-", ".", "x", "_", "’", "\n", "IA", "an "])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(NAMES), glue, st.text(max_size=4)), max_size=14).map("".join))
def test_economy_names_are_found_as_before_in_any_text(s):
    assert economy_spans(s) == economy_spans_reference(s)


# --- qa/text_reader.py -----------------------------------------------------------------------------
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=3000))
def test_control_count_agrees_with_the_reference(s):
    controls = sum(1 for ch in s if ord(ch) < 32 and ch not in "\r\n\t\f")
    assert _looks_like_text(s) == (controls <= max(2, len(s) // 1000))


# --- cli/params.py ---------------------------------------------------------------------------------
def _typer_converts_with_pydantic() -> bool:
    try:
        from typer._coercion import build_runtime_param  # noqa: F401
        from typer.core import _TyperParameter
    except ImportError:
        return False
    return hasattr(_TyperParameter, "get_runtime_param")


needs_hook = pytest.mark.skipif(not _typer_converts_with_pydantic(), reason="this Typer does not use pydantic")


def typer_app():
    """The same app converting values the stock Typer way (pydantic)."""
    from typer.core import TyperGroup

    plain = copy.copy(app)
    plain.info = copy.copy(app.info)
    plain.info.cls = TyperGroup
    return plain


INVOCATIONS = [
    ["--help"],
    ["ask", "--help"],
    ["list", "--help"],
    ["list", "--json", "--since", "2022", "--institution", "ITC"],
    ["list", "-c", "Sustainability", "--until", "2022-12"],
    ["list", "--since", "someday"],
    ["show", "2021-05-04-australias"],
    ["show", "2021"],
    ["check"],
    ["ask", ""],
    ["ask", "--top-k", "0", "What?"],
    ["ask", "--top-k", "51", "What?"],
    ["ask", "--top-k", "abc", "What?"],
    ["ask", "--top-k", "-3", "What?"],
    ["ask", "--top-k", " 4", "   "],
    ["ask", "--top-k", "007", "  "],
    ["ask", "--top-k", "4.0", " "],
    ["ask"],
    ["list", "--catalogue", "/no/such/catalogue.txt"],
    ["list", "--catalogue", str(ROOT)],
    ["list", "--catalogue", ""],
    ["list", "--catalogue", "-"],
    ["list", "--catalogue", str(SEED), "--json", "--category", "cyber readiness"],
    ["rebuild", "--catalogue", "/dev/null"],
    ["show"],
    ["nonsense"],
]


@pytest.mark.parametrize("args", INVOCATIONS, ids=lambda a: " ".join(a) or "(none)")
def test_lean_conversion_gives_what_typer_gives(args):
    runner = CliRunner()
    lean = runner.invoke(app, args)
    stock = runner.invoke(typer_app(), args)
    assert (lean.exit_code, lean.stdout, lean.stderr) == (stock.exit_code, stock.stdout, stock.stderr)
    assert type(lean.exception) is type(stock.exception)


@needs_hook
def test_lean_converters_agree_with_typers_on_each_parameter(tmp_path):
    """Value by value, for every parameter of every command (a value the fast path declines goes to Typer)."""
    import typer.main
    from typer._click import Context
    from typer._click.exceptions import BadParameter
    from typer._coercion import build_runtime_param

    from cli.params import LeanRuntimeParam

    unreadable = tmp_path / "locked.txt"
    unreadable.write_text("x")
    values = [None, "", "0", "5", "07", "50", "51", "-1", "+3", " 5", "5 ", "abc", "٣", "4.0", 5, 0, 99, True, False,
              "yes", str(SEED), str(ROOT), "/no/such/file", "-", "~", str(unreadable), b"bytes", ("a", "b"), [], ()]  # fmt: skip
    group = typer.main.get_command(app)
    checked = 0
    for command in group.commands.values():
        for param in command.params:
            lean = param._runtime_param
            if not isinstance(lean, LeanRuntimeParam):
                continue
            stock = build_runtime_param(param.type_descriptor)
            ctx = Context(command, info_name=command.name)
            for value in values:
                outcomes = []
                for runtime in (lean, stock):
                    try:
                        outcomes.append(("ok", runtime.coerce(value, param=param, ctx=ctx)))
                    except BadParameter as exc:
                        outcomes.append(("error", exc.format_message()))
                    except Exception as exc:  # noqa: BLE001 - whatever Typer raises, the lean path must too
                        outcomes.append(("raised", type(exc).__name__))
                assert outcomes[0] == outcomes[1], (command.name, param.name, value)
                checked += 1
    assert checked > 200


@needs_hook
def test_no_parameter_was_left_to_pydantic():
    import typer.main

    from cli.params import LeanRuntimeParam

    group = typer.main.get_command(app)
    for command in group.commands.values():
        for param in command.params:
            assert isinstance(param._runtime_param, LeanRuntimeParam), (command.name, param.name)
    assert type(group).__name__ == "LeanGroup"
