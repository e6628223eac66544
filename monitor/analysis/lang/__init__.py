"""Language data for the text layer and the extractor: word lists and phrase tables, no logic.

One module per language (`en`). The engines in `monitor.analysis.text` and
`monitor.analysis.extract` build their patterns from these tables, so supporting a wording
is a change to data, not to code.
"""
