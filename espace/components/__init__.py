"""Shared UI pieces."""
