"""qa: the catalogue, questions, search, answers and chat. engine.py is the pipeline."""
