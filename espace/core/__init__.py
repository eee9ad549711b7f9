"""Generic helpers every domain uses: settings, database, formatting, time, crypto, tokens, storage.
No domain code and no Reflex here."""
