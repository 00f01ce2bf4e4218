"""
The yardstick: a bare Django project whose one view reads one row and
renders it, the least a Django page can cost. bench/http.py serves it next
to the site, with the site's article HTML in that row.
"""
