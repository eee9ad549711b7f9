"""Events Espace tells the insurer's systems about, and their signed delivery to webhook
endpoints."""
