"""Chinese numerals as the sources write them in ordinals (第十一届, 第七次) and counts.

Only what the reference extractor needs: whole numbers from 1 to 99 written with 一 … 九 and 十
(十二, 二十, 二十三), plus 〇/零 and 两 where a count uses them. Arabic digits pass through.
"""

from __future__ import annotations

__all__ = ["CJK_NUMERAL_CHARS", "cjk_to_int"]

_DIGITS: dict[str, int] = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

#: The characters a Chinese numeral is made of, for use inside a regular-expression class.
CJK_NUMERAL_CHARS = "".join(_DIGITS) + "十"


def cjk_to_int(numeral: str) -> int:
    """The value of a numeral such as ``"十二"`` (12), ``"二十"`` (20), ``"七"`` or ``"11"``.

    Raises ``ValueError`` naming the numeral when it is empty, mixes in other characters or is
    outside what the function reads (1–99 with 十, or any run of Arabic digits).
    """
    if numeral.isascii() and numeral.isdigit():
        return int(numeral)
    if not numeral or any(ch not in CJK_NUMERAL_CHARS for ch in numeral):
        raise ValueError(f"not a Chinese numeral: {numeral!r}")
    if "十" not in numeral:
        if len(numeral) != 1:
            raise ValueError(f"not a Chinese numeral this reader handles: {numeral!r}")
        return _DIGITS[numeral]
    tens_part, _, units_part = numeral.partition("十")
    if "十" in units_part or len(tens_part) > 1 or len(units_part) > 1:
        raise ValueError(f"not a Chinese numeral this reader handles: {numeral!r}")
    tens = _DIGITS[tens_part] if tens_part else 1
    units = _DIGITS[units_part] if units_part else 0
    if tens == 0:
        raise ValueError(f"not a Chinese numeral this reader handles: {numeral!r}")
    return tens * 10 + units
