"""Reading a question: folded words, periods, places, the thesaurus, and the typed query made from them.

Knows the catalogue (names, categories) but nothing of search or answers.
"""
