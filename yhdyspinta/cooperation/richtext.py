"""Minutes written in the app: a small set of HTML, sanitised with nh3 (Ammonia).

Text without tags is taken as paragraphs. Markup that could run (scripts, event handlers,
`javascript:` links, frames, styles) is refused with a message rather than silently dropped,
so that nobody saves minutes believing they contain what was removed.
"""

from __future__ import annotations

import re

import nh3
from django.core.exceptions import ValidationError
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "blockquote",
    "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
DANGEROUS = re.compile(
    r"<\s*/?\s*(script|style|iframe|frame|object|embed|form|input|svg|math|link|meta)\b"
    r"|\son[a-z]+\s*=|javascript\s*:|vbscript\s*:|data\s*:\s*text/html",
    re.IGNORECASE,
)


def clean_minutes(text: str) -> str:
    """The HTML to store, or ValidationError when the text holds active content."""
    text = (text or "").strip()
    if not text:
        return ""
    if DANGEROUS.search(text):
        raise ValidationError(
            _(
                "The minutes contain a script or other active content (for example <script>, "
                "an onclick attribute or a javascript: link). Remove it and save again."
            ),
            code="active_content",
        )
    if "<" not in text:
        return linebreaks(text, autoescape=True)
    return sanitise(text)


def sanitise(html: str) -> str:
    """Only the allowed tags and attributes, links to http(s) and mail addresses."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
