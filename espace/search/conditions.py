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


def pg_where(where: Where, params: dict) -> tuple[str, tuple[str, ...]]:
    clauses: list[str] = []
    expanding: list[str] = []
    if where.scopes is not None:
        clauses.append("scope IN :scopes")
        params["scopes"] = list(where.scopes) or [""]
        expanding.append("scopes")
    if where.kinds:
        clauses.append("kind IN :kinds")
        params["kinds"] = list(where.kinds)
        expanding.append("kinds")
    if where.keys is not None:
        clauses.append("key IN :keys")
        params["keys"] = list(where.keys) or [""]
        expanding.append("keys")
    if where.start:
        clauses.append("day >= :start")
        params["start"] = where.start
    if where.end:
        clauses.append("day <= :end")
        params["end"] = where.end
    if where.min_cents is not None:
        clauses.append("amount_cents >= :min_cents")
        params["min_cents"] = where.min_cents
    if where.max_cents is not None:
        clauses.append("amount_cents <= :max_cents")
        params["max_cents"] = where.max_cents
    if where.category:
        clauses.append("category = :category")
        params["category"] = where.category
    if where.contract:
        clauses.append("(contract = :contract OR scope = :public_scope)")
        params["contract"], params["public_scope"] = where.contract, where.public_scope
    return (" AND ".join(clauses) or "TRUE"), tuple(expanding)
