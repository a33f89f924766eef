"""Keep survey answer links out of the logs.

An answer link's token is the respondent's credential, and Django logs request paths (a refused
CSRF check, a page not found, a server error). The filter replaces every token in a record
with `[token]` before any handler writes it.
"""

from __future__ import annotations

import logging
import re

TOKEN = re.compile(r"(answer/)\d+-[0-9a-f]{32}")


def redact(text: str) -> str:
    return TOKEN.sub(r"\1[token]", text)


class RedactAnswerTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
