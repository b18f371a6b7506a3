"""Single-resource lookups, answered by the service process itself instead of a query worker.

Every other query runs in a worker process, because the engine cannot be stopped from outside and a query
may take any time or memory. A lookup of one resource cannot: its shape bounds its cost. :func:`lookup_end`
recognises that shape with one regular expression:

* an optional prologue (``PREFIX``, ``BASE``), then ``SELECT`` with variables or ``*`` (no ``DISTINCT``,
  no expressions), or ``ASK``;
* one group holding exactly one triple pattern whose subject is fixed: an IRI, or a variable bound to one
  IRI (by a one-value ``VALUES`` inside the group or after it, or by the engine's own substitution); the
  predicate an IRI, ``a`` or a variable (no property paths); the object an IRI, a literal or a variable;
  no variable twice;
* nothing else: no ``FILTER``, ``OPTIONAL``, ``GRAPH``, subquery, blank node or solution modifier, and no
  backslash anywhere (SPARQL lets a ``\\u`` escape stand for any character, so one could hide a brace).

The engine answers such a pattern from an index, the subject (and any fixed predicate or object) as the
key: each row costs one index step and no row is read only to be thrown away. With ``LIMIT`` set to one more
than the row cap, the work and the memory are bounded by the row cap, whatever the data. This holds for the
service's default dataset (the union of the named graphs; the default graph of our stores is empty), and
only there: a query naming its own dataset is not taken.

Reading the in-memory store writes to some of its pages (reference counts), and a page a forked process
writes becomes its own copy (see :mod:`attgraph.engine.worker`); a lookup makes a few kilobytes its own, a service
process answering lookups of every resource would in time hold a copy of much of the store. So
:class:`Lookups` counts what its lookups have made private and closes past ``limit_mb``; lookups go to the
workers from then on. The executor (:meth:`attgraph.engine.executor.LocalExecutor.here`) decides what to send here.
"""

from __future__ import annotations

import re
import resource
import time
from collections.abc import Collection, Mapping
from typing import Any

import pyoxigraph as ox

from attgraph.knowledge.namespaces import PREFIXES, prefixes_for

from .worker import evaluate

__all__ = ["DEEPEST", "Lookups", "lookup_end"]

#: Longer texts are never lookups worth the matching.
_MAX_CHARS = 4096
#: The deepest nesting of brackets a lookup can have: its group, a ``VALUES`` block, a parenthesised value.
DEEPEST = 3


#: The tokens a lookup is made of, as regular expressions. There is no backslash in a lookup, so no escape
#: branch is needed: each token is one run of one character class, which the matcher runs fastest. A prefixed
#: name is taken loosely (any run of name characters, dots and ``%``): the engine refuses what is not a name,
#: and no character that gives a query its structure can be part of one.
_IRI = r'<[^<>"{}|^`\\\x00-\x20]*+>'
_PNAME = r"(?:[^\W\d_][\w.-]*+)?:[\w.:%-]*+"
_VAR = r"[?$]\w++"
_STRING = r""""[^"\\\n\r]*+"|'[^'\\\n\r]*+'"""
_LANG = r"@[A-Za-z]++(?:-[A-Za-z0-9]++)*+"
_NUMBER = r"(?:\d++(?:\.\d*+)?|\.\d++)(?:[eE][+-]?\d++)?"


def _shape() -> re.Pattern[str]:
    """The lookup's shape as one regular expression over the query text.

    Between tokens: spaces and comments. Keywords are matched without regard to case and must not run on into
    a name. The named groups are the subject ``s``, predicate ``p`` and object ``o``, the variables given a
    value by ``VALUES`` (``v1`` before the pattern, ``v2`` after it inside the group, ``v3`` after the group)
    and the group's closing brace ``end``."""
    gap = r"(?:\s++|#[^\n\r]*+)*+"
    iri, pname, var = _IRI, _PNAME, _VAR
    term = f"(?:{iri}|{pname})"

    def keyword(word: str) -> str:
        return f"(?i:{word})(?![\\w:-])"

    def values(group: str) -> str:
        single = f"(?P<{group}>{var}){gap}\\{{{gap}{term}{gap}\\}}"
        wrapped = f"\\({gap}(?P<{group}w>{var}){gap}\\){gap}\\{{{gap}\\({gap}{term}{gap}\\){gap}\\}}"
        return f"{keyword('VALUES')}{gap}(?:{single}|{wrapped}){gap}"

    literal = f"(?:{_STRING})(?:{gap}(?:{_LANG}|\\^\\^{gap}{term}))?"
    obj = f"{iri}|{pname}|{var}|{literal}|{_NUMBER}(?![\\w:])|{keyword('true')}|{keyword('false')}"
    prologue = f"(?:{gap}(?:{keyword('PREFIX')}{gap}{pname}{gap}{iri}|{keyword('BASE')}{gap}{iri}))*"
    form = f"{keyword('SELECT')}{gap}(?:\\*|(?:{var}{gap})++)|{keyword('ASK')}"
    head = f"{gap}(?:{form}){gap}(?:{keyword('WHERE')}{gap})?"
    dot = f"(?:\\.{gap})?"
    group = (f"\\{{{gap}(?:{values('v1')}{dot})?"
             f"(?P<s>{iri}|{pname}|{var}){gap}(?P<p>{iri}|{pname}|{var}|a(?![\\w:-])){gap}(?P<o>{obj}){gap}{dot}"
             f"(?:{values('v2')}{dot})?(?P<end>\\}})")
    return re.compile(f"{prologue}{head}{group}{gap}(?:{values('v3')})?", re.DOTALL)


_SHAPE = _shape()
_VALUED = ("v1", "v1w", "v2", "v2w", "v3", "v3w")


def lookup_end(text: str, bound: Collection[str] = ()) -> int | None:
    """Where the group of a single-resource lookup ends in ``text`` (the index just past its ``}``), or
    ``None`` if ``text`` is not one. ``bound`` names the variables the engine will be given IRIs for.

    Beyond the shape: the subject is an IRI or a variable given one value; no other variable of the pattern
    is given a value (that would be a join, not an index key) and no variable stands twice (a filter)."""
    if len(text) > _MAX_CHARS or "\\" in text:
        return None
    match = _SHAPE.fullmatch(text)
    if match is None:
        return None
    valued = {name[1:] for name in match.group(*_VALUED) if name}
    subject = match["s"]
    names = [token[1:] for token in (match["p"], match["o"]) if token[0] in "?$"]
    if subject[0] in "?$":
        if subject[1:] not in valued and subject[1:] not in bound:
            return None
        if not valued <= {subject[1:]} or valued.intersection(names) or set(bound).intersection(names):
            return None
        names.append(subject[1:])
    elif valued:
        return None
    if len(names) != len(set(names)):
        return None
    return match.end("end")


def _faults() -> int:
    return resource.getrusage(resource.RUSAGE_THREAD).ru_minflt


class Lookups:
    """Answers single-resource lookups on ``store`` in this process while the memory they have made this
    process's own stays within ``limit_mb`` MiB (0: never)."""

    def __init__(self, store: ox.Store, limit_mb: int) -> None:
        self._store = store
        self._limit = limit_mb * 1024 * 1024
        self._page = resource.getpagesize()
        self.answered = 0
        self.private = 0

    @property
    def open(self) -> bool:
        """Whether lookups are still answered here."""
        return self.private < self._limit

    def answer(self, text: str, end: int, max_rows: int,
               substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
               prefixes: Mapping[str, str] = PREFIXES) -> tuple[dict[str, Any], bytes]:
        """Evaluate the lookup ``text`` (its group ending at ``end``) here, with ``LIMIT`` one past
        ``max_rows`` after the group: the reply and its payload, as a worker gives them."""
        capped = f"{text[:end]} LIMIT {max_rows + 1} {text[end:]}"
        options: dict[str, Any] = {"prefixes": prefixes_for(capped, prefixes) if prefixes else None,
                                   "use_default_graph_as_union": True}
        if substitutions:
            options["substitutions"] = {ox.Variable(name): term for name, term in substitutions.items()}
        faults = _faults()
        began = time.perf_counter()
        reply, payload = evaluate(self._store, capped, options, max_rows, bounded=True)
        reply["took"] = time.perf_counter() - began
        self.private += (_faults() - faults) * self._page
        self.answered += 1
        return reply, payload

    def status(self) -> dict[str, Any]:
        """Lookups answered here, the memory they made private and the limit (bytes), whether more are taken."""
        return {"answered": self.answered, "private_bytes": self.private, "limit_bytes": self._limit,
                "open": self.open}
