"""Lexical index backends: SQLite FTS5 and PostgreSQL tsvector, both ranked by BM25.

Both index the analyzer's terms verbatim, in the same transaction as the data:

- SQLite: an FTS5 table ``search_fts(terms)`` (rowid = SearchDocument.id, tokenizer
  ``unicode61 remove_diacritics 0 tokenchars '_'``) ranked by FTS5's own ``bm25()``.
- PostgreSQL: ``search_lexeme(document_id, tsv)`` with a GIN index; the tsvector is built
  from our terms (one position per occurrence, so its positions count term frequency), a
  tsquery finds the candidates through the GIN index and BM25 is computed in SQL from the
  term frequencies, the document length and idf from ``SearchTerm``.

The term-frequency table ``SearchTerm`` is maintained here for both backends.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

K1 = 1.2
B = 0.75
PG_NARROW_FROM = 5000  # documents; see _search_postgres
PG_CANDIDATE_GROUPS = 3


@dataclass(frozen=True)
class LexicalQuery:
    groups: list[list[str]]  # each group: alternative terms; a document must match
    require_all: bool  # every group (AND) or any group (OR)
    public_only: bool
    kinds: Sequence[str] | None
    limit: int
    min_match: int = 0  # with require_all: at least this many groups (0 = all of them)

    def clauses(self) -> list[list[list[str]]]:
        """The query as a disjunction of conjunctions of groups."""
        if not self.require_all:
            return [[g] for g in self.groups]
        n = len(self.groups)
        if not self.min_match or self.min_match >= n:
            return [self.groups]
        return [list(c) for c in itertools.combinations(self.groups, self.min_match)]


def _quote_fts(term: str) -> str:
    return '"' + term.replace('"', "") + '"'


def _quote_ts(term: str) -> str:
    return "'" + term.replace("'", "").replace("\\", "") + "'"


def tsvector_literal(terms: Sequence[str]) -> str:
    counts = Counter(terms)
    return " ".join(
        f"{_quote_ts(t)}:{','.join(str(i) for i in range(1, min(n, 255) + 1))}"
        for t, n in sorted(counts.items())
    )


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


# --- writes -------------------------------------------------------------------------------


def index_write(doc_id: int, terms: Sequence[str]) -> None:
    with connection.cursor() as cur:
        if is_postgres():
            cur.execute(
                "INSERT INTO search_lexeme (document_id, tsv) VALUES (%s, %s::tsvector) "
                "ON CONFLICT (document_id) DO UPDATE SET tsv = EXCLUDED.tsv",
                [doc_id, tsvector_literal(terms)],
            )
        else:
            cur.execute("DELETE FROM search_fts WHERE rowid = %s", [doc_id])
            cur.execute(
                "INSERT INTO search_fts (rowid, terms) VALUES (%s, %s)", [doc_id, " ".join(terms)]
            )


def index_delete(doc_ids: Iterable[int]) -> None:
    ids = list(doc_ids)
    if not ids:
        return
    marks = ",".join(["%s"] * len(ids))
    with connection.cursor() as cur:
        if is_postgres():
            cur.execute(f"DELETE FROM search_lexeme WHERE document_id IN ({marks})", ids)
        else:
            cur.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", ids)


def index_clear() -> None:
    with connection.cursor() as cur:
        if is_postgres():
            cur.execute("DELETE FROM search_lexeme")
        else:
            cur.execute("DELETE FROM search_fts")
        cur.execute("DELETE FROM search_searchterm WHERE term <> %s", [GENERATION])
    bump_generation()


def df_update(added: Iterable[str], removed: Iterable[str]) -> None:
    """Adjust document frequencies; terms are sorted so concurrent writers lock in one order."""
    add = sorted(set(added))
    rem = sorted(set(removed))
    with connection.cursor() as cur:
        for i in range(0, len(add), 400):
            chunk = add[i : i + 400]
            cur.execute(
                "INSERT INTO search_searchterm (term, df) VALUES "
                + ",".join(["(%s, 1)"] * len(chunk))
                + " ON CONFLICT (term) DO UPDATE SET df = search_searchterm.df + 1",
                chunk,
            )
        for i in range(0, len(rem), 400):
            chunk = rem[i : i + 400]
            cur.execute(
                "UPDATE search_searchterm SET df = df - 1 WHERE term IN ("
                + ",".join(["%s"] * len(chunk))
                + ")",
                chunk,
            )


def df_set(counts: Counter[str]) -> None:
    """Replace all document frequencies (after a full rebuild)."""
    items = sorted(counts.items())
    keep = generation()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM search_searchterm")
        cur.execute("INSERT INTO search_searchterm (term, df) VALUES (%s, %s)", [GENERATION, keep])
        for i in range(0, len(items), 400):
            chunk = items[i : i + 400]
            cur.execute(
                "INSERT INTO search_searchterm (term, df) VALUES "
                + ",".join(["(%s, %s)"] * len(chunk)),
                [x for pair in chunk for x in pair],
            )
    stats_set()


def df_lookup(terms: Iterable[str]) -> dict[str, int]:
    wanted = sorted(set(terms))
    out: dict[str, int] = {}
    with connection.cursor() as cur:
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            cur.execute(
                "SELECT term, df FROM search_searchterm WHERE df > 0 AND term IN ("
                + ",".join(["%s"] * len(chunk))
                + ")",
                chunk,
            )
            out.update((t, int(n)) for t, n in cur.fetchall())
    return out


# Corpus statistics kept as two reserved rows of SearchTerm (analyzer terms never start with
# "_"): counting documents and averaging their length on every query costs a table scan
# (50 ms at 100k documents on SQLite).
# A third counts changes to documents and embeddings: the in-process vector index reloads
# when it moves (checking it is one primary-key read; counting embeddings was 150 ms at 100k).
DOCS, LENGTH, GENERATION = "_docs", "_length", "_generation"


def stats_update(docs: int, length: int) -> None:
    """Adjust the corpus statistics and bump the generation (every document write)."""
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO search_searchterm (term, df) VALUES (%s, %s), (%s, %s), (%s, 1) "
            "ON CONFLICT (term) DO UPDATE SET df = search_searchterm.df + EXCLUDED.df",
            [DOCS, docs, LENGTH, length, GENERATION],
        )


def bump_generation() -> None:
    stats_update(0, 0)


def generation() -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT df FROM search_searchterm WHERE term = %s", [GENERATION])
        row = cur.fetchone()
    return int(row[0]) if row else 0


def stats_set() -> None:
    """Recount the statistics from the documents (after a rebuild)."""
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*), SUM(length) FROM search_searchdocument")
        n, total = cur.fetchone()
        cur.execute("DELETE FROM search_searchterm WHERE term IN (%s, %s)", [DOCS, LENGTH])
        # keep the generation: a rebuild must still invalidate caches
    stats_update(int(n or 0), int(total or 0))


def corpus_stats() -> tuple[int, float]:
    """Number of documents and their average length (in terms)."""
    with connection.cursor() as cur:
        cur.execute("SELECT term, df FROM search_searchterm WHERE term IN (%s, %s)", [DOCS, LENGTH])
        stats = dict(cur.fetchall())
    n = int(stats.get(DOCS) or 0)
    return n, (int(stats.get(LENGTH) or 0) / n) if n else 0.0


# --- reads --------------------------------------------------------------------------------


def _filters_sql(q: LexicalQuery, alias: str) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if q.public_only:
        where.append(f"{alias}.is_public = %s")
        params.append(True)
    if q.kinds:
        where.append(f"{alias}.kind IN ({','.join(['%s'] * len(q.kinds))})")
        params.extend(q.kinds)
    return (" AND " + " AND ".join(where)) if where else "", params


def search(q: LexicalQuery, df: dict[str, int]) -> list[tuple[int, float]]:
    """Document ids and BM25 scores (higher is better), best first."""
    if not q.groups:
        return []
    if is_postgres():
        return _search_postgres(q, q.groups, df)
    return _search_sqlite(q)


def _search_sqlite(q: LexicalQuery) -> list[tuple[int, float]]:
    match = " OR ".join(
        "(" + " AND ".join("(" + " OR ".join(_quote_fts(t) for t in g) + ")" for g in c) + ")"
        for c in q.clauses()
    )
    extra, params = _filters_sql(q, "d")
    if extra:
        sql = (
            # rank (= bm25) is computed once per row; -bm25() in the select list as well would
            # compute it twice (measured: 82 → 58 ms p50 at 100k documents).
            "SELECT f.rowid, -f.rank FROM search_fts f "
            "JOIN search_searchdocument d ON d.id = f.rowid "
            f"WHERE search_fts MATCH %s{extra} ORDER BY f.rank LIMIT %s"
        )
    else:
        sql = (
            "SELECT rowid, -bm25(search_fts) FROM search_fts "
            "WHERE search_fts MATCH %s ORDER BY bm25(search_fts) LIMIT %s"
        )
    with connection.cursor() as cur:
        cur.execute(sql, [match, *params, q.limit])
        return [(int(i), float(s)) for i, s in cur.fetchall()]


def _search_postgres(
    q: LexicalQuery, groups: list[list[str]], df: dict[str, int]
) -> list[tuple[int, float]]:
    n_docs, avgdl = corpus_stats()
    terms = sorted({t for g in groups for t in g})
    idfs = [
        math.log(1 + (n_docs - df.get(t, 0) + 0.5) / (df.get(t, 0) + 0.5)) for t in terms
    ]  # Lucene's idf (FTS5 floors Robertson's at 1e-6 instead of adding 1)
    clauses = q.clauses()
    if not q.require_all and n_docs >= PG_NARROW_FROM and len(groups) > PG_CANDIDATE_GROUPS:
        # Unnesting the tsvector of every document that matches any term costs seconds at
        # 100k documents: on a large index, candidates must contain one of the rarest groups
        # (all the query's terms still score them).
        rarest = sorted(groups, key=lambda g: max(df.get(t, 0) for t in g))
        clauses = [[g] for g in rarest[:PG_CANDIDATE_GROUPS]]
    tsquery = " | ".join(
        "(" + " & ".join("(" + " | ".join(_quote_ts(t) for t in g) + ")" for g in c) + ")"
        for c in clauses
    )
    extra, params = _filters_sql(q, "d")
    sql = f"""
        WITH qt(term, idf) AS (SELECT * FROM unnest(%s::text[], %s::float8[]))
        SELECT l.document_id,
               SUM(qt.idf * (u.tf * {K1 + 1}) /
                   (u.tf + {K1} * (1 - {B} + {B} * d.length / %s))) AS score
        FROM search_lexeme l
        JOIN search_searchdocument d ON d.id = l.document_id
        CROSS JOIN LATERAL (
            SELECT lexeme, cardinality(positions) AS tf FROM unnest(l.tsv)
        ) u
        JOIN qt ON qt.term = u.lexeme
        WHERE l.tsv @@ %s::tsquery{extra}
        GROUP BY l.document_id
        ORDER BY score DESC, l.document_id
        LIMIT %s
    """
    with connection.cursor() as cur:
        cur.execute(sql, [terms, idfs, max(avgdl, 1.0), tsquery, *params, q.limit])
        return [(int(i), float(s)) for i, s in cur.fetchall()]
