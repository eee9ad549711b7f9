"""The domain: plain functions taking a SQLModel Session. No Reflex here."""
