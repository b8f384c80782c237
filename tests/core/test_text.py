"""Descriptions written by organisers are shown as HTML that cannot run anything."""

import pytest

from boostcamp.core.text import plain_text, render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<iframe src="https://evil.example/"></iframe>',
    "<style>body { display: none }</style>",
    '<a href="https://example.be" onclick="alert(1)">lien</a>',
    "[clic](javascript:alert(1))",
    '<a href="JaVaScRiPt:alert(1)">clic</a>',
    '<svg onload="alert(1)"></svg>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<form action="https://evil.example/"><input name="password"></form>',
    "<object data='x.swf'></object><embed src='x.swf'>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markup_is_removed(text):
    html = str(render_markdown(f"Bonjour\n\n{text}\n\nFin")).lower()
    for forbidden in ("<script", "<iframe", "<style", "<img", "<svg", "<form", "<input",
                      "<object", "<embed", "javascript:", "onerror", "onclick", "onload",
                      "style="):  # fmt: skip
        assert forbidden not in html
    assert "bonjour" in html and "fin" in html


def test_markdown_is_rendered():
    html = str(render_markdown("Le **Boostcamp** de Mons\n\n- un\n- deux\n\n1. a\n2. b"))
    assert "<strong>Boostcamp</strong>" in html
    assert "<ul>\n<li>un</li>" in html
    assert "<ol>" in html


def test_links_are_kept_but_not_endorsed():
    html = str(render_markdown("[Le site](https://mic-mons.example/) ou [écrire](mailto:a@b.be)"))
    assert '<a href="https://mic-mons.example/" rel="nofollow noopener">Le site</a>' in html
    assert 'href="mailto:a@b.be"' in html


def test_headings_come_below_the_page_title():
    html = str(render_markdown("# Grand titre\n\n## Pour qui ?\n\n### Détails"))
    assert "<h1>" not in html
    assert "<h2>Grand titre</h2>" in html
    assert "<h2>Pour qui ?</h2>" in html
    assert "<h3>Détails</h3>" in html


def test_text_is_escaped_not_interpreted():
    assert "&lt;3 &amp; R&amp;D" in str(render_markdown("J'aime Mons <3 & R&D"))


def test_nothing_to_render():
    assert render_markdown(None) == ""
    assert render_markdown("") == ""


def test_plain_text_for_a_meta_description():
    assert plain_text("## Pour qui ?\n\nLes **porteurs** de projet & R&D") == (
        "Pour qui ? Les porteurs de projet & R&D"
    )
    long = plain_text("mot " * 100, limit=30)
    assert len(long) <= 30 and long.endswith("…")
