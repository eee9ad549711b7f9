"""On the contract page: the general conditions and the claims-history statement, requested and
issued at once. Thin: each handler re-checks the session and calls one domain function, which finds
the contract *among this holder's* by its number."""

from __future__ import annotations

from espace import routes
from espace.claims import statement
from espace.contracts import contract_documents
from espace.core.db import session_scope
from espace.core.models import today_paris
from espace.identity.sessions import Principal
from espace.state.handlers import holder_event
from espace.state.session import SessionState


class ContractDocumentsState(SessionState):
    issued_title: str = ""
    issued_url: str = ""
    issue_error: str = ""

    def _issue(self, issue, number: str):
        me = self._holder_principal()
        if me is None:
            return self._to_login()
        self.issued_title = self.issued_url = self.issue_error = ""
        try:
            with session_scope() as db:
                document = issue(
                    session=db, holder_id=me.holder_id, number=str(number)[:12], today=today_paris()
                )
                self.issued_title, self.issued_url = (
                    document.title,
                    routes.document_url(document.id),
                )
        except (contract_documents.ContractDocumentError, statement.StatementError) as error:
            self.issue_error = str(error)
        return None

    @holder_event
    def general_conditions(self, me: Principal, number: str):
        return self._issue(contract_documents.issue_general_conditions, number)

    @holder_event
    def claims_history(self, me: Principal, number: str):
        return self._issue(statement.issue_claims_history, number)
