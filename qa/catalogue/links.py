"""Which links are web links: only ``http`` and ``https`` are ever shown as something to click or open.

A catalogue from someone else may give a presentation a ``javascript:``, ``file:`` or ``data:`` link.
The readers keep such a link (so that `msme-qa check` can report it and `show` can say what it is), but
every renderer asks :func:`is_web_link` first and shows anything else as inert text.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")
NOT_A_WEB_LINK = "(not a web link)"
# A paragraph that is nothing but a link of another kind: "scheme://..." or a scheme that needs no
# slashes and is known to run or read something (javascript:alert(1), data:text/html,...).
_FOREIGN_LINE = re.compile(
    r"^(?:[A-Za-z][A-Za-z0-9+.\-]*://\S+|(?:javascript|vbscript|data|file|about|blob|jar|view-source):\S+)$",
    re.IGNORECASE,
)


def is_web_link(url: str | None) -> bool:
    """True for an absolute http(s) URL with a host; False for every other scheme, a relative path or None."""
    if not url:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1" and the like
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


def is_mail_link(url: str) -> bool:
    """A mail address is not a presentation's link: Word's ``mailto:`` hyperlinks are left as text."""
    return url.strip().lower().startswith("mailto:")


def foreign_link(text: str) -> str | None:
    """The link when a whole paragraph is one link that is not http(s) (``javascript:alert(1)``), else None."""
    text = text.strip()
    if _FOREIGN_LINE.match(text) and not is_web_link(text) and not is_mail_link(text):
        return text
    return None
