"""Tools around the triage core: the JSON-lines runner, scoring, the benchmark, word lists."""
