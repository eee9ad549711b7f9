"""Espace: customer portal for French home insurance (MRH)."""
