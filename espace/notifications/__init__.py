"""Telling a holder: in-app notices, the e-mail/SMS outbox, Web Push, the holder's preferences."""
