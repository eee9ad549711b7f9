"""Generic helpers every domain uses, with no knowledge of the business: settings, database,
formatting, time, crypto, tokens, storage; and the platform: the job queue, storage backends,
logging, metrics, health, process helpers. No domain code and no Reflex here."""
