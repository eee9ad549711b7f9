"""Temporary home of ``knowledge_data`` (the help articles) until they become content files.

The domain code lives in one package per domain (``espace/<domain>/``, see ARCHITECTURE.md)."""
