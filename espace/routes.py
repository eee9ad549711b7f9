"""Route constants, shared by pages, states and API routes."""

HOME = "/"
LOGIN = "/connexion"
CONTRACTS = "/contrats"
PROFILE = "/profil"

HANDOFF = "/api/auth/handoff"
LOGOUT = "/api/auth/logout"
HEALTH = "/api/health"

# Where the app lands after login when no safe "next" page was asked for.
AFTER_LOGIN = CONTRACTS
PRIVATE_PAGES = (CONTRACTS, PROFILE)


def safe_next(path: str | None) -> str:
    """Only an internal page of ours can be a post-login destination (no open redirect)."""
    if path and path in PRIVATE_PAGES:
        return path
    return AFTER_LOGIN
