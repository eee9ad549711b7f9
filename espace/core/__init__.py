"""Shared infrastructure: the job queue (``jobs``); more of the platform (database, settings, storage) moves here."""
