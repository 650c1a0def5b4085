"""The cookie a consent tool stores the visitor's choice in, as the cookie inventory
declares it (``cookies.yaml``: ``consent_tool``), and how long the tool keeps it: read
by the consent exports (``consent.py``) and by ``check`` (rule C05)."""

from __future__ import annotations

import math
import re

from generator.content.model import Version

# Each tool's own cookie and its lifetime in days, unless told otherwise (cookieconsent
# v3: cookie.name, cookie.expiresAfterDays; Klaro!: storageName, cookieExpiresAfterDays).
TOOL_DEFAULTS = {"cookieconsent": ("cc_cookie", 182), "klaro": ("klaro", 120)}
TOOL_NAMES = {"cookieconsent": "cookieconsent", "klaro": "Klaro!"}

# A year and a month in days, as the Gregorian calendar averages them.
_DAYS = {"Y": 365.25, "M": 365.25 / 12, "W": 7, "D": 1}
_DATE_PART = re.compile(r"(\d+)([YMWD])")


def expiry_days(expiry: str) -> int | None:
    """The whole days an ISO 8601 expiry keeps a cookie ('P6M' -> 182), as the consent
    tools count their cookie's lifetime; None for a session cookie or less than a day."""
    if expiry == "session":
        return None
    date_part = expiry[1:].partition("T")[0]
    days = math.floor(sum(int(amount) * _DAYS[unit]
                          for amount, unit in _DATE_PART.findall(date_part)))
    return days or None


def consent_cookie(version: Version):
    """The declared cookie the consent exports store the visitor's choice in (the one
    ``consent_tool`` names), or None: then each tool's own default."""
    tool = version.cookie_statement.get("consent_tool")
    return None if tool is None else version.cookies.get(tool["cookie"])
