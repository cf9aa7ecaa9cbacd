"""The catalogue: reading the text export and the Word document into entries, checking and filtering them.

Knows nothing of questions.
"""
