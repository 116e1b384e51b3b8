"""One search over every record: analyzer, lexical and dense indexes, hybrid ranking."""
