"""Route constants, shared by pages, states and API routes."""

import re

HOME = "/"
DASHBOARD = "/tableau-de-bord"
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
CANCEL = "/contrat/resilier"  # online cancellation: /contrat/resilier?n=<contract number>
VERIFY = "/verifier"
ACCESSIBILITY = "/accessibilite"  # déclaration d'accessibilité (RGAA 4.1), linked from every footer
CLAIMS = "/sinistres"
CLAIM_NEW = "/sinistres/declarer"
CLAIM = "/sinistre"
OFFLINE_CLAIM = (
    "/declaration-hors-ligne.html"  # static page (assets/), precached by the service worker
)
NOTIFICATIONS = "/notifications"
HELP = "/aide"
PRIVACY = "/mes-donnees"
SEARCH = "/recherche"
PAYMENTS = "/paiements"
PAYMENT_REGULARISE = "/paiements/regulariser"
MESSAGES = "/messages"
MESSAGE = "/message"  # one thread: /message?n=<thread id>
MESSAGE_NEW = "/messages/nouveau"
ASSISTANT = "/assistant"
COMPLAINTS = "/reclamations"
EMERGENCY = "/urgence"
COMPLAINT = "/reclamation"  # one complaint: /reclamation?n=<id>
EMAIL_CONFIRM = "/profil/confirmer-email"  # the link e-mailed to a new address: ?jeton=...
STAFF_CLAIMS = "/gestion/sinistres"
STAFF_CLAIM = "/gestion/sinistre"
STAFF_INBOX = "/gestion/messages"
STAFF_THREAD = "/gestion/message"  # /gestion/message?n=<thread id>
STAFF_CANCELLATIONS = "/gestion/resiliations"
STAFF_CANCELLATION = "/gestion/resiliation"  # /gestion/resiliation?n=<cancellation id>
STAFF_SEARCH = "/gestion/recherche"  # ?q=<query>
STAFF_DELIVERIES = "/gestion/envois"  # failed e-mails, SMS and push (managers)
STAFF_COMPLAINTS = "/gestion/reclamations"
STAFF_COMPLAINT = "/gestion/reclamation"  # /gestion/reclamation?n=<complaint id>

HANDOFF = "/api/auth/handoff"
DOCUMENT_FILE = "/api/documents/{document_id:int}"
LOGOUT = "/api/auth/logout"
HEALTH = "/api/health"
CLAIM_FILE = "/api/sinistres/fichiers/{file_id:int}"
PAYMENTS_EXPORT = "/api/paiements/export"
DATA_EXPORT = "/api/donnees/export"
API_V1 = "/api/v1"  # the insurer's integration API (espace/integration/app.py)
MESSAGE_FILE = "/api/messages/fichiers/{attachment_id:int}"
CANCELLATION_FILE = "/api/resiliations/fichiers/{file_id:int}"
CANCELLATION_ACK = "/api/resiliations/{cancellation_id:int}/accuse"  # staff: the acknowledgement

# Where the app lands after login when no safe "next" page was asked for.
AFTER_LOGIN = DASHBOARD
PRIVATE_PAGES = (
    DASHBOARD,
    CONTRACTS,
    DOCUMENTS,
    PROFILE,
    SECURITY,
    CONTRACT,
    CONDITIONS,
    COVER,
    CANCEL,
    CLAIMS,
    CLAIM_NEW,
    CLAIM,
    NOTIFICATIONS,
    PAYMENTS,
    PAYMENT_REGULARISE,
    HELP,
    SEARCH,
    PRIVACY,
    MESSAGES,
    MESSAGE,
    MESSAGE_NEW,
    ASSISTANT,
    COMPLAINTS,
    COMPLAINT,
    EMERGENCY,
)
STAFF_PAGES = (
    STAFF_ACCESS_REQUESTS,
    STAFF_CLAIMS,
    STAFF_CLAIM,
    STAFF_INBOX,
    STAFF_THREAD,
    STAFF_SEARCH,
    STAFF_DELIVERIES,
    STAFF_COMPLAINTS,
    STAFF_COMPLAINT,
    STAFF_CANCELLATIONS,
    STAFF_CANCELLATION,
)


_SAFE_QUERY = re.compile(r"^[A-Za-z0-9_=&%.\-]{0,120}$")


def safe_next(path: str | None) -> str:
    """Only an internal page of ours (with a plain query string) can be a post-login destination."""
    page, _, query = (path or "").partition("?")
    if page and (page in PRIVATE_PAGES or page in STAFF_PAGES) and _SAFE_QUERY.match(query):
        return f"{page}?{query}" if query else page
    return AFTER_LOGIN


def document_url(document_id: int, *, preview: bool = False) -> str:
    return f"/api/documents/{document_id}" + ("?apercu=1" if preview else "")


def claim_file_url(file_id: int, *, thumbnail: bool = False, inline: bool = False) -> str:
    query = "?miniature=1" if thumbnail else ("?apercu=1" if inline else "")
    return f"/api/sinistres/fichiers/{file_id}{query}"


def message_file_url(attachment_id: int) -> str:
    return f"/api/messages/fichiers/{attachment_id}"


def cancellation_file_url(file_id: int) -> str:
    return f"/api/resiliations/fichiers/{file_id}"


def cancellation_ack_url(cancellation_id: int) -> str:
    return f"/api/resiliations/{cancellation_id}/accuse"
