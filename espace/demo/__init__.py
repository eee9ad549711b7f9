"""Demo data (``espace seed``): holders, contracts, payments, claims and support threads."""
