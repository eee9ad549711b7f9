"""HTTP routes mounted beside the Reflex app (cookies, downloads, health)."""
