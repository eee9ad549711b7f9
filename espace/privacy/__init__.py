"""GDPR: consents, data export, erasure requests."""
