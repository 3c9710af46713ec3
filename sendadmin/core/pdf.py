"""WeasyPrint rendering with what can be kept between documents kept: the font configuration and the
parsed stylesheets, one set per thread.

Without them every PDF pays for loading the Fontconfig configuration and a new Pango font map (whose
glyph and shaping caches then start cold), and for parsing its stylesheet again: about a tenth of
the CPU time of a full EHC plan's PDF (benchmarks/documents.py). What is kept holds no document
content, only the fonts installed on the system and the project's own CSS files, so reusing it
cannot carry one pupil's data into another's PDF. A stylesheet is parsed again when its file
changes; a font installed while the process runs is seen after a restart. Pango's font maps are
not safe to share between threads, so each thread has its own.

The document itself still gets the caller's URL fetcher (pupils.support.pdf.RefusingURLFetcher), so
nothing is fetched and the caller sees every refused URL (security notes T32). Our stylesheets load
nothing either; they are parsed with a refusing fetcher of their own.
"""

from __future__ import annotations

import threading
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher


class _Kept(threading.local):
    def __init__(self) -> None:
        self.font_config: FontConfiguration | None = None
        self.stylesheets: dict[Path, tuple[int, CSS]] = {}


_kept = _Kept()


def font_config() -> FontConfiguration:
    """This thread's font configuration, made on first use."""
    if _kept.font_config is None:
        _kept.font_config = FontConfiguration()
    return _kept.font_config


def stylesheet(path: Path) -> CSS:
    """The stylesheet at `path`, parsed once per thread and again whenever the file changes."""
    from pupils.support.pdf import RefusingURLFetcher

    changed = path.stat().st_mtime_ns
    kept = _kept.stylesheets.get(path)
    if kept is not None and kept[0] == changed:
        return kept[1]
    css = CSS(
        string=path.read_text(encoding="utf-8"),
        url_fetcher=RefusingURLFetcher(),
        font_config=font_config(),
    )
    _kept.stylesheets[path] = (changed, css)
    return css


def pdf_write(html: str, css_path: Path, *, url_fetcher: URLFetcher) -> bytes:
    """The PDF of an HTML string styled by the CSS file at `css_path`; no base URL, so no relative
    URL resolves, and every URL the document names goes to `url_fetcher`."""
    document = HTML(string=html, base_url=None, url_fetcher=url_fetcher)
    return bytes(document.write_pdf(stylesheets=[stylesheet(css_path)], font_config=font_config()))
