from urllib.parse import urlsplit


def safe_next_url(target: str | None) -> str | None:
    """A "next" address is followed only when it stays on this site (no open redirect)."""
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    return target
