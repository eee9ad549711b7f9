"""Contracts and their terms: catalogue, tariff, cover on a date, changes of cover, attestations
and certificates, the portfolio and contract pages' read models."""
