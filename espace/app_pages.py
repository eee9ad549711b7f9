"""The app's pages: each screen with its route, title and the handlers run when it loads; added to
the app by ``espace/espace.py``."""

import reflex as rx

from espace import routes
from espace.core.settings import get_settings
from espace.pages.accessibility import accessibility_page
from espace.pages.account_flows import activation_page, not_me_page, signup_page
from espace.pages.account_recovery import forgot_page, lost_access_page, reset_page
from espace.pages.assistance import assistance_page
from espace.pages.assistant import assistant_page
from espace.pages.cancellation import cancellation_page
from espace.pages.claim_tracker import claim_page
from espace.pages.claim_wizard import claim_wizard_page
from espace.pages.claims import claims_page
from espace.pages.complaints import complaint_page, complaints_page
from espace.pages.conditions import conditions_page
from espace.pages.contract_detail import contract_detail_page
from espace.pages.contracts import contracts_page
from espace.pages.cover import cover_page
from espace.pages.dashboard import dashboard_page
from espace.pages.dev_outbox import outbox_page
from espace.pages.documents import documents_page
from espace.pages.help import help_page
from espace.pages.login import login_page
from espace.pages.message_thread import thread_page
from espace.pages.messages import messages_page, new_message_page
from espace.pages.misc import home_page, not_found_page
from espace.pages.notifications import notifications_page
from espace.pages.payments import payments_page
from espace.pages.privacy import privacy_page
from espace.pages.profile import email_confirm_page, profile_page
from espace.pages.regularisation import regularisation_page
from espace.pages.search import search_page
from espace.pages.security import security_page
from espace.pages.staff import staff_access_page, staff_login_page
from espace.pages.staff_cancellations import staff_cancellation_page, staff_cancellations_page
from espace.pages.staff_claims import staff_claim_page, staff_claims_page
from espace.pages.staff_complaints import staff_complaint_page, staff_complaints_page
from espace.pages.staff_deliveries import staff_deliveries_page
from espace.pages.staff_inbox import staff_inbox_page
from espace.pages.staff_search import staff_search_page
from espace.pages.staff_thread import staff_thread_page
from espace.pages.verify import verify_page
from espace.state.account_flows import (
    ForgotState,
    LinkState,
    LostAccessState,
    ResetState,
    SignupState,
)
from espace.state.assistance import AssistanceState
from espace.state.assistant import AssistantState
from espace.state.cancellation import CancellationState
from espace.state.claim_wizard import ClaimWizardState
from espace.state.claims import ClaimsState, ClaimState
from espace.state.complaints import ComplaintsState, ComplaintState
from espace.state.conditions import ConditionsState
from espace.state.contract_detail import ContractDetailState
from espace.state.contracts import ContractsState
from espace.state.cover import CoverState
from espace.state.dashboard import DashboardState
from espace.state.dev_outbox import OutboxState
from espace.state.documents import DocumentsState
from espace.state.help import HelpState
from espace.state.login import LoginState
from espace.state.messages import MessagesState, NewMessageState, ThreadState
from espace.state.meter import PasswordMeterState
from espace.state.notifications import NotificationsState
from espace.state.payments import PaymentsState
from espace.state.privacy import PrivacyState
from espace.state.profile import EmailConfirmState, ProfileState
from espace.state.regularisation import RegularisationState
from espace.state.search import SearchState
from espace.state.security import SecurityState
from espace.state.session import SessionState
from espace.state.settlement import SettlementState, StaffSettlementState
from espace.state.staff import StaffAccessState, StaffLoginState
from espace.state.staff_cancellations import StaffCancellationsState, StaffCancellationState
from espace.state.staff_claims import StaffClaimsState, StaffClaimState
from espace.state.staff_complaints import StaffComplaintsState, StaffComplaintState
from espace.state.staff_deliveries import StaffDeliveriesState
from espace.state.staff_inbox import StaffInboxState
from espace.state.staff_search import StaffSearchState
from espace.state.staff_thread import StaffThreadState
from espace.state.verify import VerifyState
from espace.state.visits import StaffVisitState, VisitState


def add_pages(app: rx.App) -> None:
    """Add every page to ``app`` (the development outbox only outside production)."""
    app.add_page(home_page, route=routes.HOME, title="Espace", on_load=SessionState.route_home)
    app.add_page(
        login_page, route=routes.LOGIN, title="Connexion · Espace", on_load=LoginState.on_load
    )
    app.add_page(
        contracts_page,
        route=routes.CONTRACTS,
        title="Mes contrats · Espace",
        on_load=ContractsState.load,
    )
    app.add_page(
        profile_page, route=routes.PROFILE, title="Mon profil · Espace", on_load=ProfileState.load
    )
    app.add_page(
        email_confirm_page,
        route=routes.EMAIL_CONFIRM,
        title="Nouvelle adresse e-mail · Espace",
        on_load=EmailConfirmState.confirm,
    )
    app.add_page(
        contract_detail_page,
        route=routes.CONTRACT,
        title="Mon contrat · Espace",
        on_load=ContractDetailState.load,
    )
    app.add_page(
        conditions_page,
        route=routes.CONDITIONS,
        title="Conditions générales · Espace",
        on_load=ConditionsState.load,
    )
    app.add_page(
        cover_page,
        route=routes.COVER,
        title="Modifier ma couverture · Espace",
        on_load=CoverState.load,
    )
    app.add_page(
        claims_page, route=routes.CLAIMS, title="Mes sinistres · Espace", on_load=ClaimsState.load
    )
    app.add_page(
        claim_wizard_page,
        route=routes.CLAIM_NEW,
        title="Déclarer un sinistre · Espace",
        on_load=ClaimWizardState.load,
    )
    app.add_page(
        claim_page,
        route=routes.CLAIM,
        title="Suivi du sinistre · Espace",
        on_load=[ClaimState.load, SettlementState.load, VisitState.load],
    )
    app.add_page(
        messages_page,
        route=routes.MESSAGES,
        title="Mes messages · Espace",
        on_load=MessagesState.load,
    )
    app.add_page(
        new_message_page,
        route=routes.MESSAGE_NEW,
        title="Nouveau message · Espace",
        on_load=NewMessageState.load,
    )
    app.add_page(
        thread_page, route=routes.MESSAGE, title="Conversation · Espace", on_load=ThreadState.load
    )
    app.add_page(
        notifications_page,
        route=routes.NOTIFICATIONS,
        title="Notifications · Espace",
        on_load=NotificationsState.load,
    )
    app.add_page(
        payments_page,
        route=routes.PAYMENTS,
        title="Mes paiements · Espace",
        on_load=PaymentsState.load,
    )
    app.add_page(
        regularisation_page,
        route=routes.PAYMENT_REGULARISE,
        title="Régulariser un paiement · Espace",
        on_load=RegularisationState.load,
    )
    app.add_page(
        dashboard_page,
        route=routes.DASHBOARD,
        title="Tableau de bord · Espace",
        on_load=DashboardState.load,
    )
    app.add_page(
        privacy_page, route=routes.PRIVACY, title="Mes données · Espace", on_load=PrivacyState.load
    )
    app.add_page(
        assistant_page,
        route=routes.ASSISTANT,
        title="Assistant Espace · Espace",
        on_load=AssistantState.load,
    )
    app.add_page(
        accessibility_page, route=routes.ACCESSIBILITY, title="Déclaration d'accessibilité · Espace"
    )
    app.add_page(help_page, route=routes.HELP, title="Aide · Espace", on_load=HelpState.load)
    app.add_page(
        search_page, route=routes.SEARCH, title="Recherche · Espace", on_load=SearchState.load
    )
    app.add_page(
        documents_page,
        route=routes.DOCUMENTS,
        title="Mes documents · Espace",
        on_load=DocumentsState.load,
    )
    app.add_page(
        verify_page,
        route=routes.VERIFY,
        title="Vérification d'attestation · Espace",
        on_load=VerifyState.load,
    )
    app.add_page(
        security_page,
        route=routes.SECURITY,
        title="Sécurité · Espace",
        on_load=[SecurityState.load, PasswordMeterState.clear],
    )
    app.add_page(
        signup_page,
        route=routes.SIGNUP,
        title="Créer mon espace · Espace",
        on_load=[SignupState.on_load, PasswordMeterState.clear],
    )
    app.add_page(
        activation_page,
        route=routes.ACTIVATION,
        title="Activation · Espace",
        on_load=LinkState.activate,
    )
    app.add_page(
        forgot_page,
        route=routes.FORGOT,
        title="Mot de passe oublié · Espace",
        on_load=[ForgotState.on_load, PasswordMeterState.clear],
    )
    app.add_page(
        reset_page,
        route=routes.RESET,
        title="Nouveau mot de passe · Espace",
        on_load=[ResetState.on_load, PasswordMeterState.clear],
    )
    app.add_page(
        lost_access_page,
        route=routes.LOST_ACCESS,
        title="Accès perdu · Espace",
        on_load=[LostAccessState.on_load, PasswordMeterState.clear],
    )
    app.add_page(
        not_me_page,
        route=routes.NOT_ME,
        title="Connexion inhabituelle · Espace",
        on_load=LinkState.not_me,
    )
    app.add_page(
        staff_login_page,
        route=routes.STAFF_LOGIN,
        title="Gestion · Espace",
        on_load=StaffLoginState.on_load,
    )
    app.add_page(
        staff_access_page,
        route=routes.STAFF_ACCESS_REQUESTS,
        title="Demandes d'accès · Gestion",
        on_load=StaffAccessState.load,
    )
    app.add_page(
        staff_claims_page,
        route=routes.STAFF_CLAIMS,
        title="Sinistres · Gestion",
        on_load=StaffClaimsState.load,
    )
    app.add_page(
        staff_claim_page,
        route=routes.STAFF_CLAIM,
        title="Dossier sinistre · Gestion",
        on_load=[StaffClaimState.load, StaffSettlementState.load, StaffVisitState.load],
    )
    app.add_page(
        staff_inbox_page,
        route=routes.STAFF_INBOX,
        title="Messages · Gestion",
        on_load=StaffInboxState.load,
    )
    app.add_page(
        staff_thread_page,
        route=routes.STAFF_THREAD,
        title="Conversation · Gestion",
        on_load=StaffThreadState.load,
    )
    app.add_page(
        staff_search_page,
        route=routes.STAFF_SEARCH,
        title="Recherche · Gestion",
        on_load=StaffSearchState.load,
    )
    app.add_page(
        staff_deliveries_page,
        route=routes.STAFF_DELIVERIES,
        title="Envois en échec · Gestion",
        on_load=StaffDeliveriesState.load,
    )
    app.add_page(
        assistance_page,
        route=routes.EMERGENCY,
        title="Urgence · Espace",
        on_load=AssistanceState.load,
    )
    app.add_page(
        complaints_page,
        route=routes.COMPLAINTS,
        title="Mes réclamations · Espace",
        on_load=ComplaintsState.load,
    )
    app.add_page(
        complaint_page,
        route=routes.COMPLAINT,
        title="Réclamation · Espace",
        on_load=ComplaintState.load,
    )
    app.add_page(
        staff_complaints_page,
        route=routes.STAFF_COMPLAINTS,
        title="Réclamations · Gestion",
        on_load=StaffComplaintsState.load,
    )
    app.add_page(
        staff_complaint_page,
        route=routes.STAFF_COMPLAINT,
        title="Réclamation · Gestion",
        on_load=StaffComplaintState.load,
    )
    app.add_page(
        cancellation_page,
        route=routes.CANCEL,
        title="Résilier mon contrat · Espace",
        on_load=CancellationState.load,
    )
    app.add_page(
        staff_cancellations_page,
        route=routes.STAFF_CANCELLATIONS,
        title="Résiliations · Gestion",
        on_load=StaffCancellationsState.load,
    )
    app.add_page(
        staff_cancellation_page,
        route=routes.STAFF_CANCELLATION,
        title="Résiliation · Gestion",
        on_load=StaffCancellationState.load,
    )
    if get_settings().env != "prod":  # the development outbox never exists in production
        app.add_page(
            outbox_page,
            route=routes.OUTBOX,
            title="Boîte d'envoi · Espace",
            on_load=OutboxState.load,
        )
    app.add_page(not_found_page, route="404", title="Page introuvable · Espace")
