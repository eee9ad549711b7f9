"""What the claim screens call the claim's files and the staff actions of its history."""

from __future__ import annotations

from espace.claims.models import ClaimFileKind

FILE_KIND_LABELS: dict[str, str] = {
    ClaimFileKind.PHOTO: "Photo",
    ClaimFileKind.DOCUMENT: "Document",
    ClaimFileKind.QUOTE: "Devis",
    ClaimFileKind.INVOICE: "Facture",
    ClaimFileKind.EXPERT_REPORT: "Rapport d'expertise",
    ClaimFileKind.CORRESPONDENCE: "Courrier",
    ClaimFileKind.PAYMENT_PROOF: "Justificatif de paiement",
    ClaimFileKind.ACCEPTANCE: "Acceptation de l'offre (signée)",
}

# The staff actions recorded in a claim's audit trail (``workflow``), as the staff file shows them.
AUDIT_LABELS: dict[str, str] = {
    "assign_handler": "Attribution du gestionnaire",
    "appoint_expert": "Expert missionné",
    "plan_visit": "Visite planifiée",
    "attach_report": "Rapport d'expertise joint",
    "assess": "Dommages chiffrés",
    "record_payment": "Paiement enregistré",
    "request_documents": "Documents demandés",
    "refuse": "Prise en charge refusée",
    "close": "Dossier clôturé",
    "reopen": "Dossier rouvert",
    "reply": "Message envoyé à l'assuré",
    "upload": "Document ajouté",
}
