"""Pictures drawn on the server as SVG text: a timeline of posts, a flow of steps, a neighbourhood.

Each function takes plain dataclasses and returns a complete ``<svg>`` element. Every text is XML-escaped,
links (``href``) are kept only when they are site paths or http(s) IRIs, and colours are presentation
attributes, so a picture works inline in a page under a strict Content-Security-Policy and on its own.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

__all__ = ["Bar", "Edge", "Step", "flow", "neighbourhood", "text_width", "timeline", "wrap"]

_FONT = 13
_CHAR = 7.2  # average width of a Latin character at 13 px; a CJK character takes two
_PALETTE = ("#2f6f9f", "#9c4f2f", "#3d7d46", "#7a4f9a", "#8a6d1f", "#2f7f7f", "#a23b5a", "#55606e")


@dataclass(frozen=True)
class Bar:
    """One holder of one post over a run of consecutive cycles (``first`` to ``last`` ordinals)."""

    row: str
    label: str
    first: int
    last: int
    href: str | None = None
    row_href: str | None = None


@dataclass(frozen=True)
class Step:
    """One box of a flow: a number, an English and a Chinese label, a link."""

    number: str
    en: str
    zh: str
    href: str | None = None


@dataclass(frozen=True)
class Edge:
    """A link between the centre and a neighbour; ``outgoing`` when the centre is the subject."""

    label: str
    neighbour: str
    href: str | None
    outgoing: bool


def text_width(text: str) -> int:
    """Width in character cells: East Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cut(text: str, cells: int) -> str:
    """The longest prefix of ``text`` that fits in ``cells`` cells (at least one character)."""
    used = 0
    for index, ch in enumerate(text):
        used += text_width(ch)
        if used > cells:
            return text[: max(1, index)]
    return text


def _shorten(text: str, cells: int) -> str:
    return text if text_width(text) <= cells else _cut(text, cells - 1) + "…"


def wrap(text: str, cells: int, max_lines: int = 4) -> list[str]:
    """``text`` broken into lines of at most ``cells`` cells (at spaces for Latin, anywhere for CJK)."""
    lines: list[str] = []
    line = ""
    for word in _words(text):
        if line and text_width((line + word).rstrip()) > cells:
            lines.append(line.rstrip())
            line = word.lstrip()
        else:
            line += word
        while text_width(line.rstrip()) > cells:
            head = _cut(line, cells)
            lines.append(head.rstrip())
            line = line[len(head):].lstrip()
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], _shorten(" ".join(lines[max_lines - 1:]), cells)]
    return lines


def _words(text: str) -> list[str]:
    """Latin words with their trailing space; each wide character on its own."""
    words: list[str] = []
    current = ""
    for ch in text:
        if unicodedata.east_asian_width(ch) in "WF":
            if current:
                words.append(current)
                current = ""
            words.append(ch)
        else:
            current += ch
            if ch == " ":
                words.append(current)
                current = ""
    if current:
        words.append(current)
    return words


def _safe_href(href: str | None) -> str | None:
    if href and ((href.startswith("/") and not href.startswith("//")) or href.startswith(("http://", "https://"))):
        return href
    return None


def _link(href: str | None, inner: str) -> str:
    safe = _safe_href(href)
    return f"<a href={quoteattr(safe)}>{inner}</a>" if safe else inner


def _text(x: float, y: float, text: str, **attributes: str) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(v)}" for k, v in attributes.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(text)}</text>'


def _svg(width: float, height: float, title: str, body: list[str], css_class: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class={quoteattr(css_class)} role="img" '
            f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'font-family="sans-serif" font-size="{_FONT}">'
            f"<title>{escape(title)}</title>" + "".join(body) + "</svg>")


#: The width a timeline is drawn for: the page's main column at 1280 px (narrower screens get the list instead).
TIMELINE_WIDTH = 1120.0


def timeline(title: str, bars: Sequence[Bar], width: float = TIMELINE_WIDTH) -> str:
    """Posts as rows, CSP cycles as columns, one bar per holder and run of cycles, drawn to ``width``: the
    columns share what the post names leave, so every cycle is in the picture; a holder's name takes two lines
    in its bar when it needs them (and its full form is the bar's tooltip)."""
    rows: list[str] = []
    for bar in bars:
        if bar.row not in rows:
            rows.append(bar.row)
    first = min((b.first for b in bars), default=1)
    last = max((b.last for b in bars), default=first)
    label_cells, row_height, top = 30, 50.0, 34.0
    left = label_cells * _CHAR + 16
    column = max(48.0, (width - left - 12) / (last - first + 1))
    width = left + (last - first + 1) * column + 12
    height = top + len(rows) * row_height + 10
    body = [f'<rect x="0" y="0" width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>']
    for index, ordinal in enumerate(range(first, last + 1)):
        x = left + index * column
        body.append(f'<line x1="{x:.1f}" y1="{top - 8:.1f}" x2="{x:.1f}" y2="{height - 6:.1f}" '
                    'stroke="#d5d9de" stroke-width="1"/>')
        body.append(_text(x + column / 2, top - 14, f"CSP{ordinal}", text_anchor="middle", fill="#333333"))
    hrefs = {b.row: b.row_href for b in bars}
    for index, row in enumerate(rows):
        y = top + index * row_height
        lines = wrap(row, label_cells, max_lines=3)
        first_y = y + row_height / 2 + 4 - (len(lines) - 1) * 7.5
        label = "".join(_text(8, first_y + 15 * i, line, fill="#1d2731") for i, line in enumerate(lines))
        body.append(_link(hrefs.get(row), f"<g><title>{escape(row)}</title>{label}</g>"))
        colour = _PALETTE[index % len(_PALETTE)]
        for bar in (b for b in bars if b.row == row):
            x = left + (bar.first - first) * column + 3
            span = (bar.last - bar.first + 1) * column - 6
            cells = max(3, int(span / (_CHAR * 1.08)) - 1)
            names = wrap(bar.label, cells, max_lines=2)
            text_y = y + row_height / 2 + 4 - (len(names) - 1) * 7.5
            shape = (f'<rect x="{x:.1f}" y="{y + 3:.1f}" width="{span:.1f}" height="{row_height - 6:.1f}" rx="4" '
                     f'fill="{colour}"><title>{escape(bar.label)}</title></rect>'
                     + "".join(_text(x + 5, text_y + 15 * i, _shorten(line, cells), fill="#ffffff")
                               for i, line in enumerate(names)))
            body.append(_link(bar.href, shape))
    return _svg(width, height, title, body, "timeline")


def flow(title: str, steps: Sequence[Step]) -> str:
    """Steps as boxes from top to bottom, joined by arrows, each with its English and Chinese label."""
    width, cells, gap, left = 720.0, 86, 26.0, 20.0
    body = ['<defs><marker id="flow-arrow" markerWidth="10" markerHeight="8" refX="9" refY="4" '
            'orient="auto"><path d="M0,0 L10,4 L0,8 z" fill="#55606e"/></marker></defs>']
    y = 12.0
    for index, step in enumerate(steps):
        en_lines = wrap(step.en, cells)
        zh_lines = wrap(step.zh, cells)
        box_height = 16 + 17 * (len(en_lines) + len(zh_lines))
        parts = [f'<rect x="{left:.1f}" y="{y:.1f}" width="{width - 2 * left:.1f}" height="{box_height:.1f}" '
                 'rx="6" fill="#eef3f8" stroke="#2f6f9f" stroke-width="1.5"/>',
                 _text(left + 10, y + 20, step.number, font_weight="bold", fill="#2f6f9f")]
        line_y = y + 20
        for line in en_lines:
            parts.append(_text(left + 40, line_y, line, fill="#1d2731"))
            line_y += 17
        for line in zh_lines:
            parts.append(_text(left + 40, line_y, line, fill="#4a5562"))
            line_y += 17
        body.append(_link(step.href, "".join(parts)))
        y += box_height
        if index < len(steps) - 1:
            body.append(f'<line x1="{width / 2:.1f}" y1="{y + 2:.1f}" x2="{width / 2:.1f}" y2="{y + gap - 2:.1f}" '
                        'stroke="#55606e" stroke-width="1.5" marker-end="url(#flow-arrow)"/>')
            y += gap
    return _svg(width, y + 12, title, body, "flow")


def neighbourhood(title: str, centre: str, edges: Sequence[Edge], limit: int = 12) -> str:
    """The resource in the middle; what it points at on the right, what points at it on the left (at most
    ``limit`` on each side), each link labelled with its property."""
    right = [e for e in edges if e.outgoing][:limit]
    left = [e for e in edges if not e.outgoing][:limit]
    width, row, node_cells = 980.0, 46.0, 34
    height = max(len(right), len(left), 1) * row + 30
    middle_y = height / 2
    label = _shorten(centre, 30)
    centre_width = text_width(label) * _CHAR + 24
    body = ['<defs><marker id="hood-arrow" markerWidth="8" markerHeight="6" refX="8" refY="3" orient="auto">'
            '<path d="M0,0 L8,3 L0,6 z" fill="#8a94a0"/></marker></defs>']
    for side, column in ((right, 1), (left, -1)):
        top = middle_y - len(side) * row / 2
        for index, edge in enumerate(side):
            y = top + index * row + row / 2 + 6
            name = _shorten(edge.neighbour, node_cells)
            box = text_width(name) * _CHAR + 16
            x0 = width - 20 - box if column == 1 else 20.0
            near = x0 if column == 1 else x0 + box
            centre_edge = width / 2 + column * centre_width / 2
            start, end = ((centre_edge, middle_y), (near, y)) if edge.outgoing else ((near, y), (centre_edge, middle_y))
            body.append(f'<path d="M{start[0]:.1f},{start[1]:.1f} C{width / 2 + column * 150:.1f},{start[1]:.1f} '
                        f'{width / 2 + column * 150:.1f},{end[1]:.1f} {end[0]:.1f},{end[1]:.1f}" fill="none" '
                        'stroke="#8a94a0" stroke-width="1.2" marker-end="url(#hood-arrow)"/>')
            body.append(_text(x0 + box / 2, y - 16, _shorten(edge.label, 40), text_anchor="middle", fill="#55606e",
                              font_size="11"))
            node = (f'<rect x="{x0:.1f}" y="{y - 12:.1f}" width="{box:.1f}" height="24" rx="12" fill="#f4f6f8" '
                    f'stroke="#8a94a0"><title>{escape(edge.neighbour)}</title></rect>'
                    + _text(x0 + box / 2, y + 4, name, text_anchor="middle", fill="#1d2731"))
            body.append(_link(edge.href, node))
    body.append(f'<rect x="{width / 2 - centre_width / 2:.1f}" y="{middle_y - 16:.1f}" width="{centre_width:.1f}" '
                'height="32" rx="16" fill="#2f6f9f"><title>' + escape(centre) + "</title></rect>"
                + _text(width / 2, middle_y + 5, label, text_anchor="middle", fill="#ffffff", font_weight="bold"))
    return _svg(width, height, title, body, "neighbourhood")
