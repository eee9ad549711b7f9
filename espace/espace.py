"""The Reflex app: pages, head components and API routes."""

import reflex as rx

from espace import routes
from espace.api.headers import security_headers
from espace.api.routes import build_api
from espace.pages.contracts import contracts_page
from espace.pages.login import login_page
from espace.pages.misc import home_page, not_found_page
from espace.pages.profile import profile_page
from espace.state.contracts import ContractsState
from espace.state.login import LoginState
from espace.state.profile import ProfileState
from espace.state.session import SessionState

# A page restored from the back/forward cache must be rebuilt from the server (which checks
# the session) rather than shown as it was before logout.
_BFCACHE_GUARD = "window.addEventListener('pageshow',function(e){if(e.persisted){location.reload();}});"

app = rx.App(
    html_lang="fr",
    stylesheets=["/espace.css"],
    theme=None,
    toaster=None,
    head_components=[
        rx.el.meta(name="theme-color", content="#0b4f6c"),
        rx.el.meta(name="description", content="Espace client assurance habitation"),
        rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
        rx.el.script(_BFCACHE_GUARD),
    ],
    api_transformer=[build_api(), security_headers],
)

app.add_page(home_page, route=routes.HOME, title="Espace", on_load=SessionState.route_home)
app.add_page(login_page, route=routes.LOGIN, title="Connexion · Espace", on_load=LoginState.on_load)
app.add_page(contracts_page, route=routes.CONTRACTS, title="Mes contrats · Espace", on_load=ContractsState.load)
app.add_page(profile_page, route=routes.PROFILE, title="Mon profil · Espace", on_load=ProfileState.load)
app.add_page(not_found_page, route="404", title="Page introuvable · Espace")
