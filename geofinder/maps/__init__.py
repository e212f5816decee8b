"""Static maps: self-contained HTML maps of a search, for articles (`manage.py render_map`)."""
