"""Route constants, shared by pages, states and API routes."""

HOME = "/"
LOGIN = "/connexion"
CONTRACTS = "/contrats"
PROFILE = "/profil"
SECURITY = "/securite"
SIGNUP = "/inscription"
ACTIVATION = "/activation"
FORGOT = "/mot-de-passe-oublie"
RESET = "/mot-de-passe/nouveau"
LOST_ACCESS = "/acces-perdu"
NOT_ME = "/pas-moi"
OUTBOX = "/dev/boite-mail"
STAFF_LOGIN = "/gestion/connexion"
STAFF_ACCESS_REQUESTS = "/gestion/acces"

DOCUMENTS = "/documents"
CONTRACT = "/contrat"
CONDITIONS = "/contrat/conditions"
COVER = "/contrat/modifier"
VERIFY = "/verifier"

HANDOFF = "/api/auth/handoff"
DOCUMENT_FILE = "/api/documents/{document_id:int}"
LOGOUT = "/api/auth/logout"
HEALTH = "/api/health"

# Where the app lands after login when no safe "next" page was asked for.
AFTER_LOGIN = CONTRACTS
PRIVATE_PAGES = (CONTRACTS, DOCUMENTS, PROFILE, SECURITY, CONTRACT, CONDITIONS, COVER)
STAFF_PAGES = (STAFF_ACCESS_REQUESTS,)


def safe_next(path: str | None) -> str:
    """Only an internal page of ours can be a post-login destination (no open redirect)."""
    if path and (path in PRIVATE_PAGES or path in STAFF_PAGES):
        return path
    return AFTER_LOGIN


def document_url(document_id: int, *, preview: bool = False) -> str:
    return f"/api/documents/{document_id}" + ("?apercu=1" if preview else "")
