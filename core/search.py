"""The one search of the site: the public search page, the program list's ``q`` and the API's
``search=`` all match through the index built here.

* **What is indexed** — each searchable model declares ``search = SearchSpec(...)`` next to its
  ``publication``: its name fields (ranked first), its other texts (summaries, descriptions,
  venues, hubs reached through relations), its facets (kind, status, regions, years) and its
  page. Only fields the model's publication declares public may be named (checked when the
  index is built), and related rows are read through their own ``published()`` rule.
* **How** — one :class:`SearchDocument` per record, kept current on every save and delete (the
  simple-history signal every write path sends, also for bulk writes; see ``core/apps.py``) and
  rebuilt nightly (``rebuild_search_index``). Each text is indexed twice: as its morphemes
  (``core.korean``: "주도형을" → 주도) and as character bigrams of the text without spaces, so
  "AI대전환" finds "AI 대전환" and "지역주도" finds "지역 주도형" (a phrase of adjacent bigrams is
  a substring of the spaceless text). On PostgreSQL both go into ``tsvector`` columns with GIN
  indexes and the vocabulary into a ``pg_trgm`` index for suggestions ("대전화" → 대전환); on
  SQLite a substring match over the spaceless text and ``difflib`` stand in.
* **Aliases** — short names and other names of the same thing are data
  (``core/search_aliases.yaml``): a word equal to one of a group's names finds the others.
* **Visibility** — an embargoed event is indexed, but documents are filtered at query time by
  each model's ``published()`` rule (``core.publication``), so it appears once public.
* **Ranking** — a match in a name first, then by kind of record (a program before an event),
  then ``ts_rank``, then the name.
"""

from __future__ import annotations

import contextlib
import datetime
import difflib
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from django.contrib.postgres.search import SearchQueryField, SearchVectorField
from django.db import connection, models
from django.db.models import F, Func, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .korean import content_words
from .publication import Publication

ALIASES_FILE = Path(__file__).with_name("search_aliases.yaml")
MAX_FIELD_CHARS = 4000  # of one field; positions in a tsvector stop at 16383
MAX_MORPHEME_CHARS = 600  # analysed into morphemes; the rest of a long text by bigrams only
MAX_POSITIONS = 200  # per lexeme (PostgreSQL keeps at most 256)
MAX_WORDS = 10
SUGGESTION_SIMILARITY = 0.3  # pg_trgm's default threshold
_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class SearchSpec:
    """What of a model the search indexes (declared on the model as ``search``).

    Paths are field names, possibly through relations (``lead_ministry__name``,
    ``regional_participations__hubs__name``). ``title`` is the (Korean, English) name shown;
    ``names`` are further names matched as names (short names); ``snippet`` the (Korean,
    English) text shown under a result. ``url`` is a URL name and its keyword → path.
    """

    type: str
    label: str
    title: tuple[str, str]
    names: tuple[str, ...] = ()
    snippet: tuple[str, str] | tuple[()] = ()
    texts: tuple[str, ...] = ()
    kind: str = ""
    status: str = ""
    regions: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    url: tuple[str, dict] | None = None
    fragment: str = ""  # path of the URL's #fragment (a statistic's slug on /statistics/)
    priority: int = 50  # among name matches, lower first

    def paths(self) -> list[str]:
        return [
            *self.title,
            *self.names,
            *self.snippet,
            *self.texts,
            *([self.kind] if self.kind else []),
            *([self.status] if self.status else []),
            *self.regions,
            *self.years,
            *(self.url[1].values() if self.url else ()),
            *([self.fragment] if self.fragment else []),
        ]


class SearchDocument(models.Model):
    """One searchable record: its texts as index terms, its facets and how to show it."""

    model = models.CharField(_("모델"), max_length=60)
    object_id = models.BigIntegerField(_("레코드 id"))
    record_type = models.CharField(_("종류"), max_length=20, db_index=True)
    priority = models.PositiveSmallIntegerField(_("순위"), default=50)
    title = models.CharField(_("이름"), max_length=300)
    title_en = models.CharField(_("영문 이름"), max_length=300, blank=True)
    snippet = models.CharField(_("요약"), max_length=300, blank=True)
    snippet_en = models.CharField(_("영문 요약"), max_length=300, blank=True)
    url_args = models.JSONField(_("주소 인자"), default=dict, blank=True)
    kind = models.CharField(_("세부 종류"), max_length=30, blank=True)
    status = models.CharField(_("상태"), max_length=30, blank=True)
    regions = models.CharField(_("지역 코드"), max_length=200, blank=True)  # " 11 48 "
    years = models.CharField(_("연도"), max_length=200, blank=True)  # " 2025 2026 "
    names_compact = models.TextField(_("이름 (띄어쓰기 없이)"), blank=True)
    text_compact = models.TextField(_("내용 (띄어쓰기 없이)"), blank=True)
    name_vector = SearchVectorField(null=True, blank=True)
    vector = SearchVectorField(null=True, blank=True)
    indexed_at = models.DateTimeField(_("색인 시각"), auto_now=True)

    # A derived table of public texts; it is never served as such (results are read through
    # each model's published() rule), so every field is "public" like the fields it copies.
    publication = Publication(
        public=(
            "model",
            "object_id",
            "record_type",
            "priority",
            "title",
            "title_en",
            "snippet",
            "snippet_en",
            "url_args",
            "kind",
            "status",
            "regions",
            "years",
            "names_compact",
            "text_compact",
            "name_vector",
            "vector",
            "indexed_at",
        )
    )

    class Meta:
        verbose_name = _("검색 문서")
        verbose_name_plural = _("검색 문서")
        ordering = ("model", "object_id")
        constraints = [
            models.UniqueConstraint(
                fields=("model", "object_id"),
                name="searchdocument_one_per_record",
                violation_error_message=_("한 레코드에는 검색 문서가 하나입니다."),
            )
        ]

    def __str__(self):
        return f"{self.record_type}: {self.title}"


class SearchWord(models.Model):
    """The index vocabulary (names' words and morphemes): what typo suggestions choose from."""

    word = models.CharField(_("낱말"), max_length=100, unique=True)

    publication = Publication(public=("word",))

    class Meta:
        verbose_name = _("검색 낱말")
        verbose_name_plural = _("검색 낱말")
        ordering = ("word",)

    def __str__(self):
        return self.word


# --- text to terms ----------------------------------------------------------------------------


def compact(text: str) -> str:
    """Lower-cased, without spaces and punctuation: "AI 대전환" → "ai대전환"."""
    return _NON_WORD.sub("", (text or "").lower())


def bigrams(text: str) -> list[str]:
    c = compact(text)
    return [c[i : i + 2] for i in range(len(c) - 1)]


def morphs(text: str) -> list[str]:
    out = []
    for word in content_words(text[:MAX_MORPHEME_CHARS]):
        word = compact(word)
        if word:
            out.append(word)
    return out


def _quote(lexeme: str) -> str:
    return "'" + lexeme + "'"


class _Vector:
    """Lexemes with positions, written as a ``tsvector`` literal (no parser involved)."""

    def __init__(self):
        self.positions: dict[str, list[int]] = {}
        self.pos = 1

    def add_stream(self, lexemes):
        for lexeme in lexemes:
            if self.pos > 16383:
                return
            at = self.positions.setdefault(lexeme, [])
            if len(at) < MAX_POSITIONS:
                at.append(self.pos)
            self.pos += 1
        self.pos += 2  # a gap: no phrase spans two fields or two streams

    def add_text(self, text: str):
        text = (text or "")[:MAX_FIELD_CHARS]
        if not text.strip():
            return
        self.add_stream(morphs(text))
        self.add_stream("_" + b for b in bigrams(text))

    def literal(self) -> str:
        return " ".join(
            f"{_quote(lex)}:{','.join(map(str, at))}" for lex, at in sorted(self.positions.items())
        )


# --- reading a record ---------------------------------------------------------------------------


def _values(obj, path: str) -> list:
    """The values at ``path`` from ``obj`` (lists through to-many relations, each related set
    read through its model's published() rule)."""
    current = [obj]
    for part in path.split("__"):
        following = []
        for item in current:
            if item is None:
                continue
            value = getattr(item, part, None)
            if isinstance(value, models.Manager):
                qs = value.all()
                if hasattr(qs, "published"):
                    qs = qs.published()
                following.extend(qs)
            else:
                following.append(value)
        current = following
    return [v for v in current if v not in (None, "")]


def _text(obj, path: str) -> str:
    return " ".join(str(v) for v in _values(obj, path))


def _years(obj, paths) -> list[int]:
    found = []
    for path in paths:
        for value in _values(obj, path):
            if isinstance(value, datetime.datetime):
                found.append(
                    timezone.localtime(value).year if timezone.is_aware(value) else value.year
                )
            elif isinstance(value, datetime.date):
                found.append(value.year)
            elif isinstance(value, int):
                found.append(value)
    if not found:
        return []
    low, high = min(found), max(found)
    if high - low > 30:  # a typo'd date must not make a record "active" for a century
        return sorted(set(found))
    return list(range(low, high + 1))


def searchable_models() -> list:
    from django.apps import apps

    return [m for m in apps.get_models() if isinstance(m.__dict__.get("search"), SearchSpec)]


def spec_of(model) -> SearchSpec | None:
    return model._meta.concrete_model.__dict__.get("search")


def check_spec(model) -> None:
    """Every path's first field is a public field of ``model`` (core.publication)."""
    from .publication import BOOKKEEPING, publication_of

    allowed = set(publication_of(model).public) | set(BOOKKEEPING)
    relations = {
        f.get_accessor_name()
        for f in model._meta.related_objects
        if hasattr(f, "get_accessor_name")
    }
    for path in spec_of(model).paths():
        head = path.split("__")[0]
        if head not in allowed and head not in relations:
            raise ValueError(f"{model._meta.label}.search names {head!r}, not a public field")


def document_for(obj) -> dict:
    """The fields of ``obj``'s search document."""
    spec = spec_of(type(obj))
    title = _text(obj, spec.title[0])[:300]
    title_en = _text(obj, spec.title[1])[:300] if len(spec.title) > 1 else ""
    snippet = _text(obj, spec.snippet[0])[:300] if spec.snippet else ""
    snippet_en = _text(obj, spec.snippet[1])[:300] if len(spec.snippet) > 1 else ""
    name_texts = [title, title_en, *(_text(obj, p) for p in spec.names)]
    other_texts = [snippet, snippet_en, *(_text(obj, p) for p in spec.texts)]
    names_vec, all_vec = _Vector(), _Vector()
    for text in name_texts:
        names_vec.add_text(text)
        all_vec.add_text(text)
    for text in other_texts:
        all_vec.add_text(text)
    regions = sorted({str(v) for p in spec.regions for v in _values(obj, p)})
    url_args = {}
    if spec.url:
        for kwarg, path in spec.url[1].items():
            values = _values(obj, path)
            if not values:
                url_args = {}
                break
            url_args[kwarg] = str(values[0])
    if spec.fragment and url_args is not None:
        fragment = _values(obj, spec.fragment)
        if fragment:
            url_args["#"] = str(fragment[0])
    words = set()
    for text in name_texts:
        words.update(w for w in (compact(x) for x in text.split()) if 2 <= len(w) <= 100)
        words.update(w for w in morphs(text) if 2 <= len(w) <= 100)
    return {
        "record_type": spec.type,
        "priority": spec.priority,
        "title": title,
        "title_en": title_en,
        "snippet": snippet,
        "snippet_en": snippet_en,
        "url_args": url_args if spec.url else {},
        "kind": str(getattr(obj, spec.kind, "") or "") if spec.kind else "",
        "status": str(getattr(obj, spec.status, "") or "") if spec.status else "",
        "regions": (" " + " ".join(regions) + " ") if regions else "",
        "years": (" " + " ".join(map(str, _years(obj, spec.years))) + " ") if spec.years else "",
        "names_compact": " ".join(compact(t) for t in name_texts if t),
        "text_compact": " ".join(compact(t) for t in (*name_texts, *other_texts) if t),
        "_vectors": (names_vec.literal(), all_vec.literal()),
        "_words": words,
    }


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def index_record(obj) -> None:
    """Write (or replace) the search document of ``obj``."""
    fields = document_for(obj)
    name_literal, literal = fields.pop("_vectors")
    words = fields.pop("_words")
    label = obj._meta.concrete_model._meta.label_lower
    if _is_postgres():
        fields["name_vector"] = RawSQL("%s::tsvector", [name_literal])
        fields["vector"] = RawSQL("%s::tsvector", [literal])
    updated = SearchDocument.objects.filter(model=label, object_id=obj.pk).update(**fields)
    if not updated:
        SearchDocument.objects.bulk_create(
            [SearchDocument(model=label, object_id=obj.pk, **fields)], ignore_conflicts=True
        )
    if words:
        SearchWord.objects.bulk_create(
            [SearchWord(word=w) for w in sorted(words)], ignore_conflicts=True
        )


def unindex(model, pk) -> None:
    SearchDocument.objects.filter(
        model=model._meta.concrete_model._meta.label_lower, object_id=pk
    ).delete()


@cache
def _dependencies() -> dict:
    """model → [(owner model, lookup from the owner to it)] for every relation path of every
    spec: a saved hub reindexes the programs whose documents name it."""
    deps: dict = {}
    for owner in searchable_models():
        for path in spec_of(owner).paths():
            model, prefix = owner, []
            for part in path.split("__")[:-1]:
                try:
                    f = model._meta.get_field(part)
                except Exception:
                    break
                if not f.is_relation or f.related_model is None:
                    break
                model = f.related_model
                prefix.append(part)
                deps.setdefault(model._meta.concrete_model, set()).add((owner, "__".join(prefix)))
    return deps


_deferred = threading.local()


@contextlib.contextmanager
def deferred_indexing():
    """Collect the records changed inside the block and index each once at its end (loading
    many rows, such as ``load_demo``, where related rows and many-to-many links come after the
    record itself)."""
    if getattr(_deferred, "pending", None) is not None:
        yield
        return
    _deferred.pending = {}
    try:
        yield
        pending = _deferred.pending
    finally:
        _deferred.pending = None
    targets: dict = {}
    for (model, pk), deleted in pending.items():
        _collect(model, pk, deleted, targets)
    _write(targets)
    index_missing()


def record_changed(instance, *, deleted: bool) -> None:
    """Keep the index current after ``instance`` was saved or deleted (called from the
    simple-history signal; see ``core/apps.py``)."""
    model = type(instance)._meta.concrete_model
    pending = getattr(_deferred, "pending", None)
    if pending is not None:
        pending[(model, instance.pk)] = deleted
        return
    _apply(model, instance.pk, deleted)


def _apply(model, pk, deleted: bool) -> None:
    targets: dict = {}
    _collect(model, pk, deleted, targets)
    _write(targets)


def _collect(model, pk, deleted: bool, targets: dict) -> None:
    """The documents a change of (model, pk) touches: its own and those of the records whose
    documents read it through a relation. ``targets``: (model, pk) → deleted."""
    if spec_of(model) is not None:
        targets[(model, pk)] = deleted or targets.get((model, pk), False)
    for owner, lookup in _dependencies().get(model, ()):
        for owner_pk in owner._base_manager.filter(**{lookup: pk}).values_list("pk", flat=True):
            targets.setdefault((owner, owner_pk), False)


def _write(targets: dict) -> None:
    by_model: dict = {}
    for (model, pk), deleted in targets.items():
        if deleted:
            unindex(model, pk)
        else:
            by_model.setdefault(model, []).append(pk)
    for model, pks in by_model.items():
        found = model._base_manager.in_bulk(pks)
        for pk in pks:
            if pk in found:
                index_record(found[pk])
            else:
                unindex(model, pk)


def index_missing() -> int:
    """Index the records that have no document yet (rows written without the signal, such as
    reference data from a data migration)."""
    count = 0
    for model in searchable_models():
        label = model._meta.label_lower
        have = SearchDocument.objects.filter(model=label).values("object_id")
        for obj in model._base_manager.exclude(pk__in=have).order_by("pk"):
            index_record(obj)
            count += 1
    return count


def rebuild(models_=None) -> int:
    """Index every record of the searchable models again; documents of deleted records go."""
    count = 0
    for model in models_ or searchable_models():
        check_spec(model)
        label = model._meta.label_lower
        seen = []
        for obj in model._base_manager.order_by("pk").iterator(chunk_size=500):
            index_record(obj)
            seen.append(obj.pk)
            count += 1
        SearchDocument.objects.filter(model=label).exclude(object_id__in=seen).delete()
    return count


# --- queries ---------------------------------------------------------------------------------


@cache
def alias_groups() -> dict[str, tuple[str, ...]]:
    """compact name → every name of its group (core/search_aliases.yaml)."""
    groups = yaml.safe_load(ALIASES_FILE.read_text(encoding="utf-8")) or []
    out: dict[str, tuple[str, ...]] = {}
    for group in groups:
        names = tuple(str(n) for n in group)
        for name in names:
            out.setdefault(compact(name), names)
    return out


def query_words(query: str) -> list[tuple[str, ...]]:
    """The query as words, each with its alternatives (itself and its aliases); all words must
    match. A whole query that is an alias ("Ministry of SMEs") is one word."""
    query = (query or "").replace("\x00", "").strip()
    aliases = alias_groups()
    whole = compact(query)
    if not whole:
        return []
    if " " in query.strip() and whole in aliases:
        return [(query, *[a for a in aliases[whole] if compact(a) != whole])]
    words = []
    for raw in query.split()[:MAX_WORDS]:
        c = compact(raw)
        if not c:
            continue
        words.append((raw, *[a for a in aliases.get(c, ()) if compact(a) != c]))
    return words


def _phrase(lexemes: list[str]) -> str:
    return " <-> ".join(_quote(x) for x in lexemes)


def tsquery(words: list[tuple[str, ...]]) -> str:
    """The ``tsquery`` literal: per word, its morphemes or its bigrams as a phrase, or an alias's."""
    clauses = []
    for alternatives in words:
        options = []
        for alt in alternatives:
            m = morphs(alt)
            if m:
                options.append(f"({_phrase(m)})")
            b = bigrams(alt)
            if b:
                options.append(f"({_phrase(['_' + x for x in b])})")
        if options:
            clauses.append("(" + " | ".join(dict.fromkeys(options)) + ")")
    return " & ".join(clauses)


def _fallback_q(words, column: str) -> Q:
    condition = Q()
    for alternatives in words:
        option = Q()
        for alt in alternatives:
            option |= Q(**{f"{column}__contains": compact(alt)})
        condition &= option
    return condition


def published_documents(at=None):
    """Documents whose record is public at ``at`` (each model's published() rule)."""
    at = at or timezone.now()
    condition = Q()
    for model in searchable_models():
        label = model._meta.label_lower
        rule = model._default_manager.published_q(at)
        if rule:
            condition |= Q(
                model=label, object_id__in=model._default_manager.filter(rule).values("pk")
            )
        else:
            condition |= Q(model=label)
    return SearchDocument.objects.filter(condition)


def _tsquery(q: str):
    return Cast(Value(q), output_field=SearchQueryField())


def _ts_match(column: str, q: str):
    """``column @@ 'q'::tsquery`` (column names resolve through joins and subquery aliases)."""
    return Func(
        F(column),
        _tsquery(q),
        template="(%(expressions)s)",
        arg_joiner=" @@ ",
        output_field=models.BooleanField(),
    )


def match(documents, query: str):
    """``documents`` that match ``query``, annotated ``name_hit`` and ``score`` (PostgreSQL)."""
    from django.db.models import BooleanField, Case, FloatField, When

    words = query_words(query)
    q = tsquery(words) if words else ""
    if not q:  # nothing searchable (only punctuation): no match, same columns
        return documents.none().annotate(
            name_hit=Value(False, output_field=BooleanField()),
            score=Value(0.0, output_field=FloatField()),
        )
    if _is_postgres():
        return documents.filter(_ts_match("vector", q)).annotate(
            name_hit=_ts_match("name_vector", q),
            score=Func(F("vector"), _tsquery(q), function="ts_rank", output_field=FloatField()),
        )
    return documents.filter(_fallback_q(words, "text_compact")).annotate(
        name_hit=Case(
            When(_fallback_q(words, "names_compact"), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        score=Value(0.0, output_field=FloatField()),
    )


def ranked(documents):
    return documents.order_by("-name_hit", "priority", "-score", "title", "id")


def matching_ids(model, query: str):
    """Ids of ``model``'s records matching ``query``, as a subquery (the API's ``search=`` and
    the program list; which rows the caller may see is the caller's queryset's rule)."""
    label = model._meta.concrete_model._meta.label_lower
    docs = SearchDocument.objects.filter(model=label)
    return match(docs, query).values("object_id")


def filter_queryset(queryset, query: str):
    """``queryset`` narrowed to the records matching ``query`` through the index."""
    return queryset.filter(pk__in=matching_ids(queryset.model, query))


def suggestions(query: str, limit: int = 3) -> list[str]:
    """Index words close to a query word that is not itself in the index ("대전화" → 대전환)."""
    out = []
    for raw in query.split()[:MAX_WORDS]:
        word = compact(raw)
        if len(word) < 2 or SearchWord.objects.filter(word=word).exists():
            continue
        if match(published_documents(), raw).exists():  # found as it is: no typo to fix
            continue
        if _is_postgres():  # candidates from the trigram index
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT word FROM {SearchWord._meta.db_table} "
                    "WHERE similarity(word, %s) >= %s "
                    "ORDER BY similarity(word, %s) DESC, word LIMIT 20",
                    [word, SUGGESTION_SIMILARITY, word],
                )
                candidates = [row[0] for row in cursor.fetchall()]
        else:
            vocabulary = list(SearchWord.objects.values_list("word", flat=True))
            candidates = difflib.get_close_matches(word, vocabulary, n=20, cutoff=0.5)
        # The closest first: fewest edits, then the same length (대전화 → 대전환 before 대전).
        candidates.sort(key=lambda w: (edit_distance(word, w), abs(len(w) - len(word)), w))
        out.extend(w for w in candidates if w not in out and edit_distance(word, w) <= 2)
    return out[:limit]


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (characters)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


# --- facets ------------------------------------------------------------------------------------

FACETS = ("type", "kind", "status", "region", "year")


@dataclass
class SearchResult:
    query: str
    documents: list
    total: int
    facets: dict = field(default_factory=dict)
    suggestions: list = field(default_factory=list)


def facet_filter(documents, filters: dict):
    if filters.get("type"):
        documents = documents.filter(record_type=filters["type"])
    if filters.get("kind"):
        documents = documents.filter(kind=filters["kind"])
    if filters.get("status"):
        documents = documents.filter(status=filters["status"])
    if filters.get("region"):
        documents = documents.filter(regions__contains=f" {filters['region']} ")
    if filters.get("year"):
        documents = documents.filter(years__contains=f" {filters['year']} ")
    return documents


def facet_counts(documents) -> dict[str, Counter]:
    counts = {name: Counter() for name in FACETS}
    for record_type, kind, status, regions, years in documents.values_list(
        "record_type", "kind", "status", "regions", "years"
    ):
        counts["type"][record_type] += 1
        if kind:
            counts["kind"][(record_type, kind)] += 1
        if status:
            counts["status"][(record_type, status)] += 1
        for code in regions.split():
            counts["region"][code] += 1
        for year in years.split():
            counts["year"][int(year)] += 1
    return counts


def search(query: str, *, filters: dict | None = None, limit: int = 50, at=None) -> SearchResult:
    """Public search: matching public documents, ranked, with facet counts and suggestions."""
    filters = filters or {}
    matched = facet_filter(match(published_documents(at), query), filters)
    docs = list(ranked(matched)[:limit])
    counts = facet_counts(matched)
    total = sum(counts["type"].values())
    return SearchResult(
        query=query,
        documents=docs,
        total=total,
        facets=counts,
        suggestions=suggestions(query) if query_words(query) else [],
    )
