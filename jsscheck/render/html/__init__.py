"""The one-page HTML report: its JSON document (`document.py`), its page (`page.py`) and the
chart drawn as inline SVG (`svg.py`). Self-contained: no network, no external files."""
