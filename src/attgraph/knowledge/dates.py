"""Days and months as people type them, read into ISO form: ``2025-12-04``, ``2025 年 12 月 4 日`` (the
sources' spaced form) or ``2025年12月4日``, ``4 December 2025``, ``December 4, 2025``; ``2025 年 12 月`` and
``December 2025`` name a month. Search turns each into every form the graph writes it in; a named query's
``date`` parameter accepts any of the day forms.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["DateMention", "find_dates", "parse_day"]

_SPELLINGS = (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
              ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
              ("october", "oct"), ("november", "nov"), ("december", "dec"))
_NAMES = [names[0] for names in _SPELLINGS]
_MONTHS = {name: number for number, names in enumerate(_SPELLINGS, start=1) for name in names}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_S = r"\s*"
_FORMS = re.compile(
    rf"(?<![0-9])(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})(?:-(?P<id>\d{{1,2}}))?(?![0-9])"
    rf"|(?<![0-9])(?P<zy>\d{{4}}){_S}年{_S}(?P<zm>\d{{1,2}}){_S}月(?:{_S}(?P<zd>\d{{1,2}}){_S}日)?"
    rf"|(?<![0-9A-Za-z])(?:(?P<ed>\d{{1,2}})\s+)?(?P<em>{_MONTH})\.?(?:\s+(?P<ed2>\d{{1,2}}),?)?\s+(?P<ey>\d{{4}})"
    rf"(?![0-9])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    """A day (``day`` set) or a month (``day`` is ``None``) found in a text, and where."""

    year: int
    month: int
    day: int | None
    start: int
    end: int

    @property
    def iso(self) -> str:
        """``2025-12-04``, or ``2025-12`` for a month."""
        return f"{self.year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day is not None else "")

    @property
    def token(self) -> str:
        """One word for the day or month: ``d20251204``, ``m202512``."""
        return ("m" if self.day is None else "d") + self.iso.replace("-", "")

    def forms(self) -> list[str]:
        """The ways it is written: Chinese (the tokenizer reads the spaced and unspaced forms alike), English
        (day first and month first) and ISO."""
        month = _NAMES[self.month - 1]
        if self.day is None:
            return [f"{self.year} 年 {self.month} 月", f"{month} {self.year}", self.iso]
        return [f"{self.year} 年 {self.month} 月 {self.day} 日", f"{self.day} {month} {self.year}",
                f"{month} {self.day} {self.year}", self.iso]


def _valid(year: int, month: int, day: int | None) -> bool:
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return False
    return True


def find_dates(text: str) -> list[DateMention]:
    """Every day or month written in ``text`` in one of the forms above, in order; impossible dates
    (``2025-13-01``, ``30 February 2025``) are left where they are, as text."""
    found = []
    for match in _FORMS.finditer(text):
        if match["iy"]:
            year, month, day = int(match["iy"]), int(match["im"]), int(match["id"]) if match["id"] else None
        elif match["zy"]:
            year, month, day = int(match["zy"]), int(match["zm"]), int(match["zd"]) if match["zd"] else None
        else:
            raw_day = match["ed"] or match["ed2"]
            year, month, day = int(match["ey"]), _MONTHS[match["em"].lower()], int(raw_day) if raw_day else None
        if _valid(year, month, day):
            found.append(DateMention(year, month, day, match.start(), match.end()))
    return found


def parse_day(text: str) -> str | None:
    """``text`` as an ISO day when it is nothing but one day in a form above, else ``None``."""
    found = find_dates(text.strip())
    if len(found) == 1 and found[0].day is not None and (found[0].start, found[0].end) == (0, len(text.strip())):
        return found[0].iso
    return None
