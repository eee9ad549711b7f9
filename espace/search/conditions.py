"""A query's conditions (``Where``: scopes, kinds, dates, amounts...; ``Clause``: the words) in each
backend's SQL."""

from __future__ import annotations

from espace.search.index import Clause, Where


def sqlite_where(where: Where) -> tuple[str, list]:
    clauses: list[str] = []
    params: list = []
    if where.scopes is not None:
        clauses.append(f"item.scope IN ({','.join('?' * len(where.scopes))})")
        params += list(where.scopes)
    if where.kinds:
        clauses.append(f"item.kind IN ({','.join('?' * len(where.kinds))})")
        params += list(where.kinds)
    if where.keys is not None:
        clauses.append(f"item.key IN ({','.join('?' * len(where.keys))})")
        params += list(where.keys)
    if where.start:
        clauses.append("item.day >= ?")
        params.append(where.start.isoformat())
    if where.end:
        clauses.append("item.day <= ?")
        params.append(where.end.isoformat())
    if where.min_cents is not None:
        clauses.append("item.amount_cents >= ?")
        params.append(where.min_cents)
    if where.max_cents is not None:
        clauses.append("item.amount_cents <= ?")
        params.append(where.max_cents)
    if where.category:
        clauses.append("item.category = ?")
        params.append(where.category)
    if where.contract:
        clauses.append("(item.contract = ? OR item.scope = ?)")
        params += [where.contract, where.public_scope]
    return (" AND ".join(clauses) or "1"), params


def sqlite_match(clauses: list[Clause]) -> str:
    parts = []
    for clause in clauses:
        stems = [s for s in clause.stems if s]
        if not stems:
            continue
        phrase = '"' + " ".join(s.replace('"', "") for s in stems) + '"'
        parts.append(phrase + ("*" if clause.prefix else ""))
    return " OR ".join(dict.fromkeys(parts))
