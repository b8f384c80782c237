"""Text written by organisers (event and organisation descriptions), shown as safe HTML."""

import html
import re
import threading
import unicodedata
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

# What Markdown produces, and nothing else: no images (the Content-Security-Policy would block
# outside ones anyway), no raw HTML blocks, scripts, styles, frames or event handlers.
ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes={"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}},
    url_schemes={"http", "https", "mailto"},
    link_rel="nofollow noopener",  # organisers' links are not the site's endorsement
)
_HEADING = re.compile(r"<(/?)h([1-6])>")
_local = threading.local()  # a Markdown converter keeps state between calls: one per thread


def _converter() -> markdown.Markdown:
    if not hasattr(_local, "md"):
        _local.md = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")
    return _local.md


@lru_cache(maxsize=512)  # the same descriptions are shown over and over
def render_markdown(text: str | None, top_heading: int = 2) -> Markup:
    """Markdown as sanitised HTML. Headings start at `top_heading`, below the page's <h1>."""
    if not text:
        return Markup("")
    md = _converter()
    safe = _cleaner.clean(md.reset().convert(text))
    return Markup(_HEADING.sub(lambda m: f"<{m[1]}h{max(int(m[2]), top_heading)}>", safe))


def plain_text(text: str | None, limit: int = 160) -> str:
    """The first words of a Markdown text without its markup, e.g. for a meta description."""
    words = " ".join(html.unescape(nh3.clean(str(render_markdown(text)), tags=set())).split())
    if len(words) <= limit:
        return words
    return words[: limit - 1].rsplit(" ", 1)[0] + "…"


def fold(text: str) -> str:
    """Lower case without accents: what searches compare ("Liège" → "liege")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def location(venue: str | None, address: str | None, city: str | None) -> str:
    """The place as one line: venue, address, city (left out when the address names it)."""
    parts = [p.strip() for p in (venue, address) if p and p.strip()]
    if city and not any(city.lower() in p.lower() for p in parts):
        parts.append(city)
    return ", ".join(parts)
