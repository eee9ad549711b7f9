"""'Mandat de prélèvement SEPA' (core scheme, recurrent payments), signed online after a second
factor.

The mandate is the one document that shows the IBAN in full (the debtor's bank needs it); its text
is therefore never indexed as is (see `espace.billing.mandates`)."""

from __future__ import annotations

from fpdf.enums import Align, XPos, YPos

from espace.documents.pdf.data import MandateData
from espace.documents.pdf.template import MUTED, TEAL, EspaceDocument

TITLE = "Mandat de prélèvement SEPA"
KEY_WIDTH = 62.0  # "Identifiant créancier SEPA (ICS)" on one line
SIGNATURE_HEIGHT = 16.0


def legal_text(creditor: str) -> str:
    return (
        f"En signant ce formulaire de mandat, vous autorisez {creditor} à envoyer des "
        "instructions à votre banque pour débiter votre compte, et votre banque à débiter votre "
        f"compte conformément aux instructions d'{creditor}. Vous bénéficiez du droit d'être "
        "remboursé par votre banque selon les conditions décrites dans la convention que vous "
        "avez passée avec elle. Une demande de remboursement doit être présentée dans les 8 "
        "semaines suivant la date de débit de votre compte pour un prélèvement autorisé."
    )


def signature_line(data: MandateData) -> str:
    return (
        f"Signé électroniquement le {data.signed_on} à {data.signed_time} "
        f"{data.signature_method}".rstrip()
        + "."
    )


def render_mandate(data: MandateData) -> bytes:
    pdf = EspaceDocument(TITLE, data.reference, data.insurer)
    pdf.letter_head(
        data.debtor_name,
        data.debtor_address,
        [
            ("RUM", data.reference),
            ("Signé le", data.signed_on),
            ("ICS", data.creditor_identifier),
        ],
    )
    pdf.title_block(TITLE)
    pdf.key_values(
        [
            ("Référence unique du mandat (RUM)", data.reference),
            ("Identifiant créancier SEPA (ICS)", data.creditor_identifier),
        ],
        key_width=KEY_WIDTH,
    )
    pdf.section("Créancier")
    pdf.key_values(
        [
            ("Nom", data.creditor_name),
            ("Adresse", "\n".join(data.creditor_address)),
        ],
        key_width=KEY_WIDTH,
    )
    pdf.section("Débiteur")
    pdf.key_values(
        [
            ("Nom", data.debtor_name),
            ("Adresse", "\n".join(data.debtor_address)),
            ("IBAN", data.iban),
            ("BIC", data.bic),
            ("Banque", data.bank_name or "—"),
        ],
        key_width=KEY_WIDTH,
    )
    pdf.section("Paiement")
    pdf.paragraph(f"Type de paiement : {data.payment_type}", bold=True, align=Align.L)
    pdf.paragraph(legal_text(data.creditor_name), size=9.5)
    pdf.paragraph(
        "Vos droits concernant le présent mandat sont expliqués dans un document que vous pouvez "
        "obtenir auprès de votre banque.",
        size=8.5,
        color=MUTED,
        line_height=4.4,
    )
    _signature(pdf, data)
    return pdf.to_bytes()


def _signature(pdf: EspaceDocument, data: MandateData) -> None:
    pdf.section("Signature")
    with pdf.framed_box(min_height=SIGNATURE_HEIGHT, padding=3.5, accent=True) as width:
        pdf.style(10, bold=True, color=TEAL)
        pdf.set_x(pdf.l_margin + 2)
        pdf.multi_cell(
            width - 2, 5.2, signature_line(data), align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.style(8.5, color=MUTED)
        pdf.set_x(pdf.l_margin + 2)
        pdf.multi_cell(
            width - 2,
            4.4,
            f"Signataire : {data.debtor_name}. Signature recueillie dans votre espace client.",
            align=Align.L,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    pdf.paragraph(
        f"Pour toute question : {data.insurer.phone}.", size=8, color=MUTED, line_height=4
    )
