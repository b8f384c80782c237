"""Organisations' logos: an uploaded file is decoded by Pillow, checked, and re-encoded as a
PNG of bounded size (which also drops its metadata); the PNG is kept in the database (table
`logo`, addressed by its SHA-256) so that every app instance serves the same file.

SVG is refused: a script in it could run when the file is opened directly, and a PDF cannot
carry it. The demo's own logos ship as PNGs (boostcamp/demo/logos/) and go through here too.
"""

import hashlib
import io
import warnings

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from boostcamp.core.errors import DomainError
from boostcamp.core.extensions import db
from boostcamp.organisations.models import Logo

MAX_BYTES = 1024 * 1024  # what may be uploaded (below MAX_CONTENT_LENGTH, 2 MB)
MAX_PIXELS = 4000 * 4000  # decoded size; Pillow's own bomb limit (89 M pixels) is above
MAX_FRAMES = 100  # an animation: its first frame is kept
DISPLAY_SIZE = 512  # the stored PNG fits in DISPLAY_SIZE × DISPLAY_SIZE
FORMATS = ("PNG", "JPEG", "GIF", "WEBP")


class NotALogo(DomainError):
    def __init__(self, message):
        super().__init__(message, field="logo")


def _looks_like_svg(data: bytes, filename: str) -> bool:
    head = data[:1024].lstrip().lower()
    return filename.lower().endswith((".svg", ".svgz")) or head.startswith(b"<") or b"<svg" in head


def encode(data: bytes, filename: str = "") -> tuple[bytes, int, int]:
    """The logo as the app serves it: (PNG bytes, width, height); NotALogo if refused."""
    if len(data) > MAX_BYTES:
        raise NotALogo(_l("The file is too large (at most %(mb)d MB).", mb=MAX_BYTES // 2**20))
    if not data:
        raise NotALogo(_l("The file is empty."))
    if _looks_like_svg(data, filename):
        raise NotALogo(_l("SVG logos are not accepted: upload a PNG, JPEG, GIF or WebP image."))
    try:
        with warnings.catch_warnings():
            # Pillow warns above MAX_IMAGE_PIXELS and raises above twice that: refuse both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                width, height = image.size
                if width * height > MAX_PIXELS or not width or not height:
                    raise NotALogo(_l("The image is too large: at most %(n)s pixels.",
                                      n=f"{MAX_PIXELS:,}".replace(",", " ")))  # fmt: skip
                if getattr(image, "is_animated", False):
                    if image.n_frames > MAX_FRAMES:
                        raise NotALogo(_l("An animation of more than %(n)d images is refused: "
                                          "upload a still image.", n=MAX_FRAMES))  # fmt: skip
                    image.seek(0)
                image.load()
                image = image.convert("RGBA")
    except NotALogo:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise NotALogo(_l("The image is too large: at most %(n)s pixels.",
                          n=f"{MAX_PIXELS:,}".replace(",", " "))) from None  # fmt: skip
    except UnidentifiedImageError:
        raise NotALogo(_l("This file is not an image: upload a PNG, JPEG, GIF or WebP.")) from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, MemoryError):
        # Truncated or damaged files, which Pillow reports in several ways.
        raise NotALogo(_l("This image is damaged or incomplete: export it again.")) from None
    image.thumbnail((DISPLAY_SIZE, DISPLAY_SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)  # no info passed: no metadata written
    return out.getvalue(), image.width, image.height


def store(data: bytes, filename: str = "") -> Logo:
    """The checked logo, added to the database once whoever uploads it."""
    png, width, height = encode(data, filename)
    sha256 = hashlib.sha256(png).hexdigest()
    logo = db.session.get(Logo, sha256)
    if logo is None:
        logo = Logo(sha256=sha256, media_type="image/png", data=png, width=width, height=height)
        db.session.add(logo)
        db.session.flush()
    return logo


def get(sha256: str) -> Logo | None:
    return db.session.scalar(
        sa.select(Logo).where(Logo.sha256 == sha256).options(sa.orm.undefer(Logo.data))
    )
