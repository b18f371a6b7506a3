"""A query that does not parse, explained for people: one position, one excerpt with a caret, plain words.

The engine reports where its parser gave up and the list of what it would have taken there, character ranges
included (``['A' ..= 'Z' | …]``). That list is for parser writers: :func:`explain` keeps its keywords and
punctuation only, says what was found instead, and reads the query itself for the mistakes people make most:

* a prefix that is declared nowhere (``dct:title``; the engine does not always say so): named, with ours that
  is nearest (``dcterms:``) and the namespace it stands for;
* a prefixed name with a ``/`` in it (``source:wgeti-csp11-report/p7``), which Turtle and SPARQL read as a
  property path: write the slash escaped (``\\/``) or the full IRI;
* a prefixed name that ends with ``.`` (``document:…/Rev.``), which is read as the end of a triple pattern:
  write ``\\.`` or the full IRI.

The engine's own message stays in the error's details (``reason``) for tools.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from attgraph.errors import QuerySyntaxError

__all__ = ["explain"]

_POSITION = re.compile(r"error at (\d+):(\d+)")
#: What to skip when reading the query for names: IRIs, strings, comments.
_SKIP = re.compile(r'<[^<>"{}|^`\\\s]*>|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                   r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*')
_PNAME = re.compile(r"(?<![\w?$:./\\-])([A-Za-z][\w.-]*)?:((?:[\w%-]|\\[^\s]|\.(?=[\w%\\-]))*)")
_DECLARED = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_SLASHED = re.compile(r"/([\w%.-]*[\w%-])")
_EXPECTED = re.compile(r"expected (?:one of )?(.*)$", re.S)
#: One item of the engine's list: a quoted token, a character range, or words.
_ITEM = re.compile(r'"(?:[^"\\]|\\.)*"|\[(?:[^\]\']|\'(?:[^\'\\]|\\.)*\')*\]|[A-Za-z_]+(?: [A-Za-z_]+)*')
#: The words of SPARQL 1.1 (keywords and built-in functions), for telling a misspelt one.
_WORDS_TEXT = """
SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED PREFIX BASE DISTINCT REDUCED OPTIONAL UNION MINUS GRAPH SERVICE
SILENT FILTER BIND VALUES ORDER BY ASC DESC LIMIT OFFSET GROUP HAVING AS UNDEF EXISTS NOT IN TRUE FALSE A LATERAL
COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL
FLOOR ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY
HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM
ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE TRIPLE SUBJECT PREDICATE OBJECT ISTRIPLE
"""
_WORDS = frozenset(_WORDS_TEXT.split())
_WORD = re.compile(r"(?<![\w?$:@.\\-])([A-Za-z_][A-Za-z0-9_]*)(?![\w:.-]*:)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Prefixes other projects use for namespaces we name otherwise.
_ALIASES = {"dct": "dcterms", "dc": "dcterms", "terms": "dcterms", "sdo": "schema", "geo": "schema"}


def _blank(text: str) -> str:
    """``text`` with IRIs, strings and comments turned to spaces (positions kept)."""
    return _SKIP.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _expected(message: str) -> list[str]:
    """The keywords and punctuation of the engine's "expected" list (character ranges left out)."""
    found = _EXPECTED.search(message)
    if not found:
        return []
    items = _ITEM.findall(found.group(1))
    return [item for item in items if not item.startswith("[") and item != "Prefix not found"]


def _nearest(prefix: str, known: Mapping[str, str]) -> str | None:
    if prefix in _ALIASES and _ALIASES[prefix] in known:
        return _ALIASES[prefix]
    close = difflib.get_close_matches(prefix, list(known), n=1, cutoff=0.5)
    return close[0] if close else None


def _declarations(text: str) -> dict[str, str]:
    """The prefixes the query declares itself, with their namespaces."""
    return {m.group(1) or "": m.group(2) for m in _DECLARED.finditer(text)}


def _undeclared(text: str, known: Mapping[str, str]) -> list[str]:
    """Hints for the prefixes used but declared nowhere (neither in the query nor among ``known``)."""
    plain = _blank(text)
    declared = set(_declarations(text)) | set(known)
    hints, seen = [], set()
    for match in _PNAME.finditer(plain):
        prefix = match.group(1) or ""
        if prefix in declared or prefix in seen or prefix.upper() in ("PREFIX", "BASE"):
            continue
        seen.add(prefix)
        nearest = _nearest(prefix, known)
        hint = f"the prefix {prefix}: is not declared; declare it (PREFIX {prefix}: <…>)"
        if nearest is not None:
            hint += f" or use ours, {nearest}: <{known[nearest]}>"
        hints.append(hint)
    return hints


def _full(prefix: str, local: str, known: Mapping[str, str], declared: Mapping[str, str]) -> str | None:
    namespace = declared.get(prefix, known.get(prefix))
    return f"<{namespace}{local}>" if namespace else None


def _name_hints(text: str, known: Mapping[str, str]) -> list[str]:
    """Hints for prefixed names with a ``/`` in them or a ``.`` at their end."""
    plain = _blank(text)
    declared = _declarations(text)
    hints = []
    for match in _PNAME.finditer(plain):
        prefix, local, end = match.group(1) or "", match.group(2), match.end()
        slashed = _SLASHED.match(plain, end)
        if slashed and slashed.group(1) != "a" and plain[slashed.end():slashed.end() + 1] != ":":
            rest = ""
            while slashed and plain[slashed.end():slashed.end() + 1] != ":":  # the whole slashed name: a/b/c
                rest += "/" + slashed.group(1)
                end = slashed.end()
                slashed = _SLASHED.match(plain, end)
            name = local + rest
            trailing = plain[end:end + 1] == "." and not plain[end + 1:end + 2].strip()
            written = f"{prefix}:{name}" + ("." if trailing else "")
            escaped = f"{prefix}:" + name.replace("/", "\\/") + ("\\." if trailing else "")
            full = _full(prefix, name + ("." if trailing else ""), known, declared)
            hints.append(f"a prefixed name cannot hold a \"/\" as it is: write {written} as {escaped}"
                         + (f" or as the full IRI {full}" if full else ""))
        elif plain[end:end + 1] == "." and local and (end + 1 >= len(plain) or plain[end + 1] in " \t\n})],;"):
            full = _full(prefix, local + ".", known, declared)
            hints.append(f"if {prefix}:{local}. is one name, a prefixed name cannot end with \".\": write "
                         f"{prefix}:{local}\\." + (f" or the full IRI {full}" if full else ""))
    return hints


def _control_hints(text: str) -> list[str]:
    """A hint for the first control character (none is allowed outside strings, and few within)."""
    found = _CONTROL.search(text)
    if found is None:
        return []
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    return [f"the query holds the control character U+{ord(found.group(0)):04X} at line {line}, column {column}"]


def _word_hints(text: str) -> list[str]:
    """Hints for bare words that are no SPARQL word but near one (``LIMT`` → ``LIMIT``)."""
    plain = _blank(text)
    plain = re.sub(r"\^\^\S+|@[A-Za-z-]+", " ", plain)  # datatypes and language tags
    hints, seen = [], set()
    for match in _WORD.finditer(plain):
        word = match.group(1)
        upper = word.upper()
        if upper in _WORDS or upper in seen or word.isdigit():
            continue
        seen.add(upper)
        close = difflib.get_close_matches(upper, sorted(_WORDS), n=1, cutoff=0.75)
        if close:
            hints.append(f"{word} is not a word of SPARQL; did you mean {close[0]}?")
    return hints


def explain(text: str, message: str, known: Mapping[str, str] | None = None, shift: int = 0) -> QuerySyntaxError:
    """The error for the engine's parse ``message`` about ``text``; ``known`` are the prefixes the service
    declares for every query; ``shift`` lines of ours came before the text in what the engine parsed."""
    known = dict(known or {})
    details: dict[str, object] = {"reason": message}
    where = _POSITION.search(message)
    if where is None:
        return QuerySyntaxError(f"the query does not parse: {message}", details)
    line, column = max(1, int(where[1]) - shift), int(where[2])
    lines = text.split("\n")
    shown = lines[line - 1] if line <= len(lines) else ""
    caret = " " * (min(column, len(shown) + 1) - 1) + "^"
    details.update(line=line, column=column, excerpt=f"{shown}\n{caret}")
    hints = _control_hints(text) + _undeclared(text, known)
    hints += _name_hints(text, known) + _word_hints(text)
    if hints:
        said = hints[0]
    else:
        expected = _expected(message)
        found = shown[column - 1:column] if column <= len(shown) else ""
        here = f"found {found!r}" if found.strip() else "the query ends here" if line >= len(lines) and \
            column > len(shown.rstrip()) else "found a space or the end of a line"
        said = (f"expected {' or '.join(expected)}; {here}" if len(expected) <= 2 else
                f"expected one of {', '.join(expected)}; {here}") if expected else f"unexpected text; {here}"
    if hints:
        details["hints"] = hints
    rest = "".join(f"; {hint}" for hint in hints[1:])
    return QuerySyntaxError(f"the query does not parse at line {line}, column {column}: {said}{rest}", details)
