"""Finding entries for a query: BM25, dense similarity, and their fusion."""
