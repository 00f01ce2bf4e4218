"""
Reader search over every searchable kind of content (kinds.py): what is
indexed (kinds.py, text.py), keeping the index fresh (index.py), parsing
what readers type (query.py), one backend per database (backends/), and
running a search (results.py) with "did you mean" (suggestions.py).
"""
