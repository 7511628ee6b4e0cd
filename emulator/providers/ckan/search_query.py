"""A small stand-in for CKAN's Solr core: the documents CKAN indexes, and the query language users write.

``document`` builds what ``ckan/lib/search/index.py`` sends to Solr for a dataset. ``parse`` reads the Lucene
syntax of ``q`` (when it holds a ``:``) and of ``fq``; ``dismax`` scores a plain-words ``q`` the way CKAN's
``qf``/``mm`` ask Solr to. What Solr's analysers do is simplified (the SEARCH_TEXT ASSUMPTION in
``settings.py``).
"""

from __future__ import annotations

import fnmatch
import re
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .settings import DISMAX_FIELDS, STRING_FIELDS, TEXT_FIELDS

Doc = dict[str, Any]
#: What an extra's key keeps in its index field name (``KEY_CHARS`` of ``ckan/lib/search/index.py``).
KEY_CHARS = string.digits + string.ascii_letters + "_-"
Predicate = Callable[[Doc], bool]


class QuerySyntaxError(Exception):
    """Solr could not parse the query (``org.apache.solr.search.SyntaxError``)."""


# ---- documents -------------------------------------------------------------------------------------------


def document(pkg: dict[str, Any]) -> Doc:
    """The indexed fields of one dataset, from its ``package_show`` dict (``PackageSearchIndex.index_package``)."""
    doc: Doc = {k: v for k, v in pkg.items() if not isinstance(v, list | dict)}
    for extra in pkg.get("extras") or []:
        key = "".join(c for c in extra["key"] if c in KEY_CHARS)
        doc["extras_" + key] = extra["value"]
        doc.setdefault(key, extra["value"])
    doc["tags"] = [t["name"] for t in pkg.get("tags") or []]
    doc["groups"] = [g["name"] for g in pkg.get("groups") or []]
    doc["organization"] = pkg["organization"]["name"] if pkg.get("organization") else None
    doc["capacity"] = "private" if pkg.get("private") else "public"
    for source, target in (("name", "res_name"), ("description", "res_description"), ("format", "res_format"),
                           ("url", "res_url"), ("resource_type", "res_type")):
        doc[target] = [r.get(source) or "" for r in pkg.get("resources") or []]
    doc["dataset_type"] = pkg.get("type")
    doc["entity_type"] = "package"
    doc["title_string"] = pkg.get("title")
    # The catch-all ``text`` field (the schema's copyField rules).
    doc["text"] = [v for k in ("name", "title", "notes", "maintainer", "author", "url")
                   if isinstance(v := doc.get(k), str)]
    doc["text"] += doc["tags"] + doc["groups"] + [doc["organization"] or ""] + doc["res_name"] \
        + doc["res_description"] + doc["res_url"] + [str(v) for k, v in doc.items() if k.startswith("extras_")]
    return doc


def values(doc: Doc, field: str) -> list[str]:
    """A field's indexed values as Solr holds them: booleans as ``true``/``false``, numbers as text."""
    value = doc.get(field)
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if item is None:
            continue
        if isinstance(item, bool):
            out.append("true" if item else "false")
        elif field in ("metadata_created", "metadata_modified") and isinstance(item, str):
            out.append(item + "Z")
        else:
            out.append(str(item))
    return out


# ---- analysis --------------------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def _stem(word: str) -> str:
    """A light English suffix stripper standing in for Snowball Porter (floods, flooding -> flood)."""
    for suffix, keep in (("sses", "ss"), ("ies", "i"), ("ss", "ss"), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            word = word[: len(word) - len(suffix)] + keep
            break
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and re.search("[aeiouy]", word[: -len(suffix)]):
            return word[: -len(suffix)]
    return word


def tokens(text: str) -> list[str]:
    """The ``text`` field type: split on non-alphanumerics and case changes, lowercase, stem, fold accents."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return [_stem(w.lower()) for w in _WORD.findall(folded)]


def _text_match(doc: Doc, field: str, phrase: list[str]) -> bool:
    if not phrase:
        return False
    for value in values(doc, field):
        words = tokens(value)
        for start in range(len(words) - len(phrase) + 1):
            if words[start:start + len(phrase)] == phrase:
                return True
    return False


def field_match(doc: Doc, field: str, value: str, quoted: bool) -> bool:
    """One ``field:value`` clause: exact (or wildcard) on string fields, word or phrase on text fields."""
    if field in TEXT_FIELDS or field.startswith("extras_") or field.startswith("res_extras_"):
        if not quoted and value == "*":
            return bool(values(doc, field))
        return _text_match(doc, field, tokens(value))
    present = values(doc, field)
    if not quoted and any(c in value for c in "*?"):
        return any(fnmatch.fnmatchcase(v, value) for v in present)
    return value in present


def _range_match(doc: Doc, field: str, low: str, high: str, inclusive: tuple[bool, bool]) -> bool:
    for v in values(doc, field):
        above = low == "*" or (v >= low if inclusive[0] else v > low)
        below = high == "*" or (v <= high if inclusive[1] else v < high)
        if above and below:
            return True
    return False


# ---- Lucene syntax ---------------------------------------------------------------------------------------

_TOKEN = re.compile(r'\s*(?:(?P<op>AND\b|OR\b|NOT\b|&&|\|\||[()+\-!])|(?P<quoted>"(?:[^"\\]|\\.)*")'
                    r'|(?P<range>[\[{][^\]}]*[\]}])|(?P<word>(?:[^\s()"\\:\[\]{}]|\\.)+)|(?P<colon>:))')


@dataclass
class _Tok:
    kind: str
    text: str


def _lex(query: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    while pos < len(query):
        if query[pos:].strip() == "":
            break
        match = _TOKEN.match(query, pos)
        if match is None or match.end() == pos:
            raise QuerySyntaxError(f"Cannot parse '{query}'")
        kind = match.lastgroup or ""
        out.append(_Tok(kind, match.group(kind)))
        pos = match.end()
    return out


class _Parser:
    """Lucene's standard query parser with ``q.op=AND`` and a default field (``df``)."""

    def __init__(self, query: str, default_field: str) -> None:
        self.toks = _lex(query)
        self.pos = 0
        self.query = query
        self.default_field = default_field

    def peek(self) -> _Tok | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise QuerySyntaxError(f"Cannot parse '{self.query}': Encountered \"<EOF>\"")
        self.pos += 1
        return tok

    def parse(self) -> Predicate:
        predicate = self.expression()
        if self.peek() is not None:
            raise QuerySyntaxError(f"Cannot parse '{self.query}'")
        return predicate

    def expression(self, field: str | None = None) -> Predicate:
        """Clauses joined by AND (also implicit, q.op=AND) and OR; ``+``/``-``/``NOT`` mark required/excluded."""
        alternatives: list[list[tuple[str, Predicate]]] = [[]]
        while (tok := self.peek()) is not None and tok.text != ")":
            if tok.kind == "op" and tok.text in ("OR", "||"):
                self.take()
                alternatives.append([])
                continue
            if tok.kind == "op" and tok.text in ("AND", "&&"):
                self.take()
                continue
            mode = "must"
            if tok.kind == "op" and tok.text in ("+", "-", "NOT", "!"):
                self.take()
                mode = "must" if tok.text == "+" else "not"
            alternatives[-1].append((mode, self.clause(field)))
        groups = [g for g in alternatives if g]
        if not groups:
            raise QuerySyntaxError(f"Cannot parse '{self.query}'")

        def conjunction(group: list[tuple[str, Predicate]]) -> Predicate:
            return lambda doc: all(p(doc) if mode == "must" else not p(doc) for mode, p in group)

        branches = [conjunction(g) for g in groups]
        return lambda doc: any(b(doc) for b in branches)

    def clause(self, field: str | None) -> Predicate:
        tok = self.take()
        if tok.kind == "op" and tok.text == "(":
            inner = self.expression(field)
            if self.take().text != ")":
                raise QuerySyntaxError(f"Cannot parse '{self.query}'")
            return inner
        nxt = self.peek()
        if field is None and tok.kind == "word" and nxt is not None and nxt.kind == "colon":
            self.take()
            name = _unescape(tok.text)
            if (after := self.peek()) is not None and after.kind == "op" and after.text == "(":
                self.take()
                inner = self.expression(name)
                self.take()
                return inner
            return self.value(name, self.take())
        return self.value(field or self.default_field, tok)

    def value(self, field: str, tok: _Tok) -> Predicate:
        if tok.kind == "quoted":
            text = _unescape(tok.text[1:-1])
            return lambda doc: field_match(doc, field, text, True)
        if tok.kind == "range":
            body = tok.text[1:-1].split(" TO ")
            if len(body) != 2:
                raise QuerySyntaxError(f"Cannot parse '{self.query}'")
            low, high = (_unescape(b.strip()) for b in body)
            inclusive = (tok.text[0] == "[", tok.text[-1] == "]")
            return lambda doc: _range_match(doc, field, low, high, inclusive)
        if tok.kind == "word":
            text = _unescape(tok.text)
            if field == "*" and text == "*":
                return lambda doc: True
            return lambda doc: field_match(doc, field, text, False)
        raise QuerySyntaxError(f"Cannot parse '{self.query}'")


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def parse(query: str, default_field: str = "text") -> Predicate:
    """A Lucene query (``q`` with a field, or an ``fq``) as a test on documents."""
    if query.strip() in ("", "*:*"):
        return lambda doc: True
    return _Parser(query, default_field).parse()


# ---- dismax (plain words in q) ---------------------------------------------------------------------------


def _minimum_match(clauses: int) -> int:
    """CKAN's ``mm = "2<-1 5<80%"``: all of 1-2 clauses, all but one of 3-5, 80% (rounded down) of more."""
    if clauses <= 2:
        return clauses
    if clauses <= 5:
        return clauses - 1
    return int(clauses * 0.8)


def _dismax_clause_score(doc: Doc, term: str) -> float:
    """Best field weight for the term plus ``tie`` (0.1) times the others (``qf = name^4 title^4 ...``)."""
    # Dismax takes words literally: no wildcards.
    scores = [weight for field, weight in DISMAX_FIELDS if field_match(doc, field, term, True)]
    if not scores:
        return 0.0
    best = max(scores)
    return best + 0.1 * (sum(scores) - best)


def dismax(query: str) -> Callable[[Doc], float | None]:
    """Words (and quoted phrases) of a plain ``q``: a score for a matching document, None otherwise."""
    required: list[str] = []
    excluded: list[str] = []
    optional: list[str] = []
    for match in re.finditer(r'([+-]?)(?:"([^"]*)"|(\S+))', query):
        sign, phrase, word = match.groups()
        term = phrase if phrase is not None else word
        if term:
            {"+": required, "-": excluded}.get(sign, optional).append(term)
    need = _minimum_match(len(optional)) if not required else 0

    def score(doc: Doc) -> float | None:
        if any(_dismax_clause_score(doc, t) for t in excluded):
            return None
        must = [_dismax_clause_score(doc, t) for t in required]
        if not all(must):
            return None
        should = [_dismax_clause_score(doc, t) for t in optional]
        if sum(1 for s in should if s) < need:
            return None
        total = sum(must) + sum(should)
        return total if total or not (required or optional) else None

    return score


def relevance(query: str, lucene: bool) -> Callable[[Doc], float | None]:
    """A document's score for ``q`` (None when it does not match): 1 for any match of a Lucene query."""
    if not lucene:
        return dismax(query)
    test = parse(query)
    return lambda doc: 1.0 if test(doc) else None


# ---- facets and sorting ----------------------------------------------------------------------------------


def facet_counts(docs: list[Doc], field: str, limit: int, mincount: int) -> dict[str, int]:
    """Solr's ``facet.field``: each value counted once per document, by count then value; ``limit < 0`` is all."""
    counts: dict[str, int] = {}
    for doc in docs:
        for value in set(values(doc, field) if field not in TEXT_FIELDS
                         else (t for v in values(doc, field) for t in tokens(v))):
            counts[value] = counts.get(value, 0) + 1
    ordered = sorted(((v, c) for v, c in counts.items() if c >= mincount), key=lambda vc: (-vc[1], vc[0]))
    return dict(ordered if limit < 0 else ordered[:limit])


def sort_key(doc: Doc, field: str, score: float) -> Any:
    """A document's value for one sort field (missing values sort last, as Solr's default)."""
    if field == "score":
        return score
    found = values(doc, field)
    if field in STRING_FIELDS or field not in TEXT_FIELDS:
        return found[0] if found else None
    return " ".join(tokens(found[0])) if found else None
