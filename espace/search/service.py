"""Search as the admin command line runs it: exactly the app's code path (``engine.search`` for a
holder, the same ranking over the public scope without one), results as plain data."""

from __future__ import annotations

from sqlmodel import Session, select

from espace.identity.identifiers import normalise_email
from espace.identity.models import Account, Policyholder
from espace.search import engine, sources
from espace.search.index import SearchIndex, Where, get_index


def holder_by_email(*, session: Session, email: str) -> int | None:
    """The holder signed in with this e-mail (None for an empty e-mail: the public scope)."""
    if not (email or "").strip():
        return None
    wanted = normalise_email(email)
    holder_id = session.exec(select(Account.holder_id).where(Account.email == wanted)).first()
    if holder_id is None:
        holder_id = session.exec(
            select(Policyholder.id).where(Policyholder.email == wanted)
        ).first()
    if holder_id is None:
        raise LookupError(f"Aucun assuré avec l'adresse {email}.")
    return holder_id


def search_public(
    *, query: str, limit: int = 40, index: SearchIndex | None = None
) -> engine.SearchResult:
    """What anybody may find: help articles, general conditions, glossary."""
    index = index or get_index()
    result = engine.SearchResult(query=(query or "").strip()[:200])
    ranked = engine.rank(
        index=index, query=query, where=Where(scopes=(sources.PUBLIC,)), limit=limit
    )
    result.did_you_mean, result.semantic = ranked.did_you_mean, ranked.semantic
    result.hits = engine.hits(index, ranked)
    return result


def run(
    *,
    session: Session,
    holder_id: int | None,
    query: str,
    limit: int = 10,
    index: SearchIndex | None = None,
) -> dict:
    """Ranked results (kind, id, title, score) of one query in the holder's scope, or the public
    one."""
    if holder_id is None:
        result = search_public(query=query, limit=limit, index=index)
    else:
        result = engine.search(
            session=session, holder_id=holder_id, query=query, limit=limit, index=index
        )
    return {
        "query": query,
        "scope": "holder" if holder_id is not None else "public",
        "did_you_mean": result.did_you_mean,
        "results": [
            {"kind": h.kind, "id": h.key, "title": h.title, "score": h.score, "url": h.url}
            for h in result.hits
        ],
    }
