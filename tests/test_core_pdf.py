"""sendadmin.core.pdf keeps the font configuration and parsed stylesheets per thread, parses a
stylesheet again when its file changes, and still sends every URL of the document to the caller's
fetcher."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from pupils.support.pdf import RefusingURLFetcher
from sendadmin.core import pdf


def test_the_font_configuration_and_a_stylesheet_are_kept_between_renders(tmp_path: Path) -> None:
    css = tmp_path / "a.css"
    css.write_text("body { font-family: sans-serif; }", encoding="utf-8")
    first = pdf.pdf_write("<p>One</p>", css, url_fetcher=RefusingURLFetcher())
    kept = pdf.stylesheet(css)
    config = pdf.font_config()
    second = pdf.pdf_write("<p>Two</p>", css, url_fetcher=RefusingURLFetcher())
    assert first.startswith(b"%PDF-") and second.startswith(b"%PDF-")
    assert pdf.stylesheet(css) is kept
    assert pdf.font_config() is config


def test_a_changed_stylesheet_is_parsed_again(tmp_path: Path) -> None:
    css = tmp_path / "b.css"
    css.write_text("p { color: black; }", encoding="utf-8")
    before = pdf.stylesheet(css)
    css.write_text("p { color: red; }", encoding="utf-8")
    stat = css.stat()
    os.utime(css, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert pdf.stylesheet(css) is not before


def test_each_thread_has_its_own_font_configuration() -> None:
    mine = pdf.font_config()
    theirs: list[object] = []
    thread = threading.Thread(target=lambda: theirs.append(pdf.font_config()))
    thread.start()
    thread.join()
    assert theirs and theirs[0] is not mine


def test_the_documents_urls_still_go_to_the_callers_fetcher(tmp_path: Path) -> None:
    css = tmp_path / "c.css"
    css.write_text("p { margin: 0; }", encoding="utf-8")
    fetcher = RefusingURLFetcher()
    out = pdf.pdf_write('<p>x</p><img src="http://127.0.0.1:9/x.png">', css, url_fetcher=fetcher)
    assert out.startswith(b"%PDF-")
    assert fetcher.refused == ["http://127.0.0.1:9/x.png"]
