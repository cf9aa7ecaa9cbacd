"""--explain: how a question was read and why its answer ranked as it did, from the objects the answer used."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli.app import app


@pytest.mark.parametrize(
    ("texts", "token", "word"),
    [
        (("What is Australia's de minimis threshold?",), "minimi", "minimis"),
        (("What is Australia's de minimis threshold?",), "australia", "Australia"),
        (("value of imports",), "valu", "value"),
        (("tools on intellectual property", "IP tools"), "ip", "intellectual property"),
        (("e-commerce for small businesses",), "ecommerc", "e-commerce"),
        (("any word", "a guidance note"), "guidanc", "guidance"),  # a later text fills what the first lacks
    ],
)
def test_a_token_is_shown_as_it_was_written(texts, token, word) -> None:
    from qa.answers.explain import spellings

    assert spellings(*texts).get(token) == word


def ask(built_index, *args: str) -> dict:
    result = CliRunner().invoke(app, ["ask", "--json", "--index", str(built_index), *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_explain_shows_the_reading_and_the_parts_of_each_score(built_index) -> None:
    question = "What is Australia's de minimis threshold?"
    plain = ask(built_index, question)
    data = ask(built_index, "--explain", question)
    assert "explain" not in plain
    assert {k: v for k, v in data.items() if k != "explain"} == plain  # the plain shape does not change
    why = data["explain"]
    assert why["read"]["kind"] == "fact" and "australia" in why["read"]["content"]
    assert why["route"] == "fact" and why["decision"]["answered"] is True
    first = why["entries"][0]
    assert first["cited"] == 1 and first["id"] == data["citations"][0]["id"]
    for e in why["entries"]:
        total = e["lexical"] + e["dense_entry"] + e["dense_sentence"] + e["boost"]
        assert abs(total - e["score"]) < 1e-3, e
    assert "minimi" in first["matched_terms"]
    scores = [e["score"] for e in why["entries"]]
    assert scores == sorted(scores, reverse=True)


def test_explain_a_refusal_gives_the_deciding_evidence(built_index) -> None:
    absent = ask(built_index, "--explain", "What did Amazon present about helping small sellers export?")
    assert absent["abstained"] and absent["explain"]["route"] == "presenter"
    assert "Amazon" in absent["explain"]["decision"]["rule"]
    far = ask(built_index, "--explain", "How do I sort a list of dictionaries in Python?")
    assert far["abstained"] and far["explain"]["decision"]["answered"] is False
    assert far["explain"]["decision"]["rule"]


def test_explain_in_text_and_in_chat(built_index) -> None:
    shown = CliRunner().invoke(app, ["ask", "--explain", "--index", str(built_index), "de minimis"])
    assert shown.exit_code == 0 and "How this was answered:" in shown.stdout and "route: search" in shown.stdout
    chat = CliRunner().invoke(
        app, ["chat", "--json", "--index", str(built_index)], input="Who presented on cyber security?\n/explain\n"
    )
    lines = [json.loads(line) for line in chat.stdout.splitlines() if line.strip()]
    assert lines[-1]["question"] == "Who presented on cyber security?"
    assert lines[-1]["explain"]["route"] == "list" and lines[-1]["explain"]["read"]["kind"] == "list"


def test_explain_shows_the_users_words_not_stems(built_index) -> None:
    shown = CliRunner().invoke(
        app, ["ask", "--explain", "--index", str(built_index), "What is Australia's de minimis threshold value?"]
    )
    assert shown.exit_code == 0, shown.output
    searched = next(line for line in shown.stdout.splitlines() if "searched words:" in line)
    assert "searched words: Australia de minimis threshold value;" in searched
    ranked = [line for line in shown.stdout.splitlines() if line.lstrip().startswith("#")]
    assert ranked and all(" minimi " not in f"{line} " and " valu " not in f"{line} " for line in ranked)
    assert "BM25" in ranked[0] and "de minimis threshold value" in ranked[0]
    why = ask(built_index, "--explain", "What is Australia's de minimis threshold value?")["explain"]
    assert why["read"]["words"] == ["Australia", "de", "minimis", "threshold", "value"]
    assert "minimi" in why["read"]["content"]  # the tokens stay, for scripts; the words are beside them
