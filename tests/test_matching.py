"""Text as compared: stems, folded variants, the trade thesaurus, weighted BM25 and category mentions."""

from __future__ import annotations

import numpy as np

from qa.answers.facts import _money, _quantities, _shares
from qa.catalogue.load import load_catalogue
from qa.question.glossary import _GROUPS, expansions
from qa.question.query import Lexicon
from qa.question.text import content_tokens, tokens
from qa.search.bm25 import BM25

from .reading import find_categories


def test_snowball_stems_join_word_families_that_a_suffix_list_missed():
    assert tokens("inefficient")[0] == tokens("inefficiencies")[0]
    assert tokens("regulation")[0] == tokens("regulations")[0]
    assert tokens("accounting")[0] == tokens("accounts")[0]
    assert tokens("presented") == tokens("presenting")


def test_small_business_variants_fold_to_one_word():
    cases = {
        "small-business clauses": ["msme", "claus"],
        "smaller firms": ["msme"],
        "a small company": ["a", "msme"],
        "small enterprises": ["msme"],
        "SMEs": ["msme"],
        "a small island": ["a", "small", "island"],
    }
    for text, expected in cases.items():
        assert tokens(text) == expected, text


def test_question_words_are_dropped_by_their_written_form_not_their_stem():
    # Porter stems "information" and "informal" alike; only the first says nothing about the subject
    assert content_tokens("information on informal firms") == ["inform", "firm"]
    assert content_tokens("Who talked about tariffs at the meetings?") == ["tariff"]


def test_thesaurus_maps_everyday_words_to_the_officials_words():
    assert "tariff" in expansions(content_tokens("How much import duty is charged?"))
    assert "aeo" in expansions(content_tokens("trusted trader status"))
    assert {"account", "ip", "sps"} <= (
        expansions(content_tokens("bookkeeping"))
        | expansions(content_tokens("patents"))
        | expansions(content_tokens("plant health"))
    )
    # a question's own words are not repeated as expansions; unknown words bring nothing
    assert not expansions(["tariff"]) & {"tariff"}
    assert expansions(content_tokens("banana bread recipe")) == set()


def test_thesaurus_phrases_need_all_their_words():
    # "trusted trader" is one phrase: "trader" alone is not a synonym of AEO
    assert "aeo" not in expansions(content_tokens("a trader from Kenya"))


def test_thesaurus_lines_are_well_formed():
    for line in _GROUPS.splitlines():
        phrases = [p.strip() for p in line.split("|")]
        assert len(phrases) >= 2 and all(phrases), line
        assert all(content_tokens(p) for p in phrases), f"a phrase of stopwords only in: {line}"


def test_bm25_weights_scale_a_term():
    docs = [["tariff", "duty"], ["tariff"], ["parcel"]]
    bm25 = BM25(docs)
    full = bm25.scores(["duty", "tariff"])
    half = bm25.scores(["duty", "tariff"], {"tariff": 0.5})
    only_duty = bm25.scores(["duty"])
    tariff = full - only_duty
    assert np.allclose(half, only_duty + 0.5 * tariff)
    assert half[2] == 0.0


def test_a_category_named_apart_from_its_sub_section_counts_once_each():
    catalogue = load_catalogue()
    both = find_categories(
        "Which talks are in Digital, including standards to digitalize trade?", Lexicon.of(catalogue).categories
    )
    assert "Digital" in both and any(name.lower() == "standards to digitalize trade" for name in both)
    only_sub = find_categories("Which talks are in standards to digitalize trade?", Lexicon.of(catalogue).categories)
    assert [name.lower() for name in only_sub] == ["standards to digitalize trade"]


def test_a_quantity_is_neither_a_year_nor_a_reference_number():
    assert _quantities("The report surveyed more than 4,000 SMEs.")
    assert _quantities("MSMEs are hit twice as much as large firms.")
    assert _quantities("It covers 48 economies.")
    assert not _quantities("This ties in with Annex 4 of the December 2020 package.")
    assert not _quantities("An updated report (INF/MSME/W/6/Rev.3) was circulated in 2022.")


def test_thesaurus_phrases_do_not_collapse_to_an_everyday_verb():
    # "start-up" is ("start",) once "up" is dropped, "one-stop" is ("stop",): they would turn "When did it
    # start?" into a question about young entrepreneurs
    assert not expansions(content_tokens("When did it start?"))
    assert not {"young", "entrepreneur", "platform", "portal"} & expansions(content_tokens("Did it stop or start?"))


def test_shares_and_sums_of_money_are_told_from_other_quantities():
    assert _shares("More than half (56 per cent) of in-force RTAs contain such provisions.")
    assert _shares("MSMEs using IP have 70% more revenue.")
    assert not _shares("The report surveyed more than 4,000 SMEs.")
    assert _money("A de minimis threshold of AUD 1,000 applies.")
    assert _money("The GCA free-to-use toolkit of MSME resources.")
    assert not _money("The toolkit has six guided steps.")


def test_bm25_finds_the_documents_holding_every_term():
    bm25 = BM25([["tariff", "duty"], ["tariff"], ["duty", "tariff", "parcel"]])
    assert bm25.containing(["tariff", "duty"]).tolist() == [0, 2]
    assert bm25.containing(["parcel"]).tolist() == [2]
    assert bm25.containing(["tariff", "unknown"]).tolist() == []
