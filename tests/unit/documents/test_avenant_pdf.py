"""The 'avenant' (endorsement) PDF: contract, changes, premiums, consent, fonts, pagination."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from io import BytesIO

import pypdf
import pytest

from espace.documents.pdf.avenant import render_avenant
from espace.documents.pdf.data import AvenantChange, AvenantData

NNBSP = "\u202f"  # French thousands separator
NBSP = "\u00a0"

CHANGES = [
    AvenantChange("Formule", "Confort", "Intégrale"),
    AvenantChange("Franchise", f"150,00{NBSP}€", f"300,00{NBSP}€"),
    AvenantChange("Capital mobilier", f"25{NNBSP}000,00{NBSP}€", f"45{NNBSP}000,00{NBSP}€"),
    AvenantChange(
        "Option Objets de valeur «Bijoux et œuvres d'art»",
        "Non souscrite",
        f"Souscrite, jusqu'à 12{NNBSP}000,00{NBSP}€",
    ),
]


def avenant(**changes) -> AvenantData:
    data = AvenantData(
        reference="AV-2026-000012",
        number=3,
        issued_on="23/11/2026",
        effective_on="01/12/2026",
        holder_name="Mme Lætitia Cœur",
        holder_address=["8 place du Bouffay", "Bâtiment B, 2e étage", "44000 Nantes"],
        contract_number="MRH-2024-018830",
        formula="Intégrale",
        property_address=["8 place du Bouffay", "Bâtiment B, 2e étage", "44000 Nantes"],
        changes=CHANGES,
        old_premium=f"542,80{NBSP}€",
        new_premium=f"1{NNBSP}234,56{NBSP}€",
        prorata=f"+ 518,40{NBSP}€ pour la période du 01/12/2026 au 31/08/2027",
        next_instalment=f"102,88{NBSP}€ par mois à partir du 05/12/2026",
        consent="Accepté en ligne le 23/11/2026 à 10:42 par Mme Lætitia Cœur",
    )
    return replace(data, **changes)


# -- helpers (as in test_pdf.py) ----------------------------------------------------------------


def reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(BytesIO(pdf))


def shown(text: str) -> str:
    """fpdf2 may draw a no-break space with the space glyph; justified lines come back with runs of
    spaces."""
    return re.sub(" {2,}", " ", text.replace(NBSP, " "))


def page_texts(pdf: bytes) -> list[str]:
    return [shown(page.extract_text()) for page in reader(pdf).pages]


def flat(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text)


def embedded_fonts(pdf: bytes) -> dict[str, bool]:
    fonts = {}
    for page in reader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            descendants = font.get("/DescendantFonts")
            descriptor = (
                descendants[0].get_object().get("/FontDescriptor", {}) if descendants else {}
            )
            fonts[name] = "/FontFile2" in descriptor
    return fonts


# -- tests --------------------------------------------------------------------------------------


def test_avenant_prints_the_contract_the_changes_and_the_premiums():
    data = avenant()
    pdf = render_avenant(data)
    assert pdf.startswith(b"%PDF")
    text = flat("\n".join(page_texts(pdf)))
    for expected in [
        "Avenant n° 3 au contrat MRH-2024-018830",
        data.reference,
        data.contract_number,
        "Mme Lætitia Cœur",
        "8 place du Bouffay, Bâtiment B, 2e étage, 44000 Nantes",  # the holder
        "Espace Assurances, 12 quai de la Fosse, 44000 Nantes",  # the insurer
        "ci-après « le souscripteur »",
        "ci-après « l'assureur »",
        "formule Intégrale",
        "Date d'effet",
        "Modification Avant Après",
        f"Cotisation annuelle avant l'avenant (TTC) {shown(data.old_premium)}",
        f"Nouvelle cotisation annuelle TTC {shown(data.new_premium)}",
        f"Ajustement au prorata {shown(data.prorata)}",
        f"Prochaine échéance {shown(data.next_instalment)}",
        "Les autres clauses et conditions du contrat demeurent inchangées.",
        data.consent,
        "Fait à Nantes, le 23/11/2026",
        "Pour Espace Assurances",
    ]:
        assert expected in text, expected
    assert f"prennent effet le {data.effective_on} à zéro heure" in text
    assert f"1{NNBSP}234,56 €" in text  # the thousands separator survives


def test_each_change_is_a_row_with_its_label_before_and_after():
    text = flat("\n".join(page_texts(render_avenant(avenant()))))
    for change in CHANGES:
        assert f"{shown(change.label)} {shown(change.before)} {shown(change.after)}" in text, (
            change.label
        )
    assert "Option Objets de valeur «Bijoux et œuvres d'art» Non souscrite" in text


def test_a_refund_and_a_single_change():
    data = avenant(
        changes=[AvenantChange("Franchise", f"150,00{NBSP}€", f"500,00{NBSP}€")],
        new_premium=f"498,10{NBSP}€",
        prorata=f"− 33,52{NBSP}€ remboursés pour la période du 01/12/2026 au 31/08/2027",
    )
    texts = page_texts(render_avenant(data))
    assert len(texts) == 1  # a usual avenant fits on one page
    text = flat(texts[0])
    assert "Franchise 150,00 € 500,00 €" in text
    assert shown(data.prorata) in text
    assert f"Nouvelle cotisation annuelle TTC {shown(data.new_premium)}" in text


def test_dejavu_fonts_are_embedded_and_no_glyph_is_missing(caplog):
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        pdf = render_avenant(avenant())
    assert embedded_fonts(pdf) == {"DejaVuSansBook": True, "DejaVuSansBold": True}
    assert not [record for record in caplog.records if "missing" in record.getMessage()]


def test_metadata():
    pdf = reader(render_avenant(avenant()))
    assert pdf.metadata.title == f"Avenant n°{NBSP}3 au contrat MRH-2024-018830"
    assert pdf.metadata.author == "Espace Assurances"
    assert pdf.trailer["/Root"]["/Lang"] == "fr"


@pytest.mark.parametrize("count", [1, 4, 30])
def test_header_footer_on_every_page_and_the_signature_kept_with_the_consent(count):
    changes = [
        AvenantChange(
            f"Modification numéro {index + 1:02d}", f"{index},00{NBSP}€", f"{index + 1},00{NBSP}€"
        )
        for index in range(count)
    ]
    data = avenant(changes=changes)
    texts = page_texts(render_avenant(data))
    for number, text in enumerate(texts, start=1):
        assert "Espace Assurances" in text
        assert f"Page {number} / {len(texts)}" in text
        assert "RCS Nantes 912 345 678" in text
        assert "Référence : AV-2026-000012" in text
    everything = flat("\n".join(texts))
    for change in changes:
        assert f"{change.label} {shown(change.before)} {shown(change.after)}" in everything
    closing = [text for text in texts if "Fait à Nantes" in text]
    assert (
        len(closing) == 1
        and data.consent in closing[0]
        and "demeurent inchangées" in flat(closing[0])
    )
    if count == 30:
        assert len(texts) >= 2
        # the column headings are repeated on every page of the table
        assert all(
            "Modification Avant Après" in text for text in texts if "Modification numéro" in text
        )
