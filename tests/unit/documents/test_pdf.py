"""PDF renderers: text, embedded fonts, QR code, pagination."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from io import BytesIO

import pypdf
import pypdfium2
import pytest
import zxingcpp

from espace.documents.pdf.attestation import render_attestation
from espace.documents.pdf.certificate import render_certificate
from espace.documents.pdf.data import AttestationData, CertificateData, GuaranteeLine, ReceiptData
from espace.documents.pdf.fonts import FONT_DIR
from espace.documents.pdf.receipt import render_receipt

NNBSP = "\u202f"  # French thousands separator
NBSP = "\u00a0"

HOLDER_ADDRESS = ["27 rue Duguesclin", "3e étage, porte droite", "69006 Lyon"]
PROPERTY_DESCRIPTION = (
    f"Appartement de 3 pièces, 68{NBSP}m², en cœur d'îlot, occupé en qualité de locataire"
)
CIVIL_LIABILITY = (
    f"Responsabilité civile vie privée et occupant : jusqu'à 4{NNBSP}500{NNBSP}000,00{NBSP}€"
)

GUARANTEES = [
    GuaranteeLine(
        "Incendie",
        "Incendie, explosion et foudre",
        "Capital mobilier et frais de remise en état",
        f"150,00{NBSP}€",
        ["Les dommages causés par un fumeur (brûlures isolées)"],
    ),
    GuaranteeLine(
        "Dégâts des eaux",
        "Dégâts des eaux et gel",
        f"25{NNBSP}000,00{NBSP}€",
        f"150,00{NBSP}€",
        ["Les infiltrations par les façades", "Le défaut d'entretien manifeste"],
    ),
    GuaranteeLine(
        "Événements naturels",
        "Catastrophes naturelles",
        "Capital mobilier",
        f"380,00{NBSP}€ (franchise légale)",
    ),
    GuaranteeLine(
        "Vol",
        "Vol et vandalisme",
        f"12{NNBSP}500,00{NBSP}€",
        f"250,00{NBSP}€",
        ["Les vols commis sans effraction dans les parties communes"],
    ),
    GuaranteeLine(
        "Bris de glace", "Bris des vitres et des miroirs", f"3{NNBSP}000,00{NBSP}€", "Aucune"
    ),
    GuaranteeLine(
        "Responsabilité civile",
        "Dommages causés aux tiers",
        f"4{NNBSP}500{NNBSP}000,00{NBSP}€",
        "Aucune",
    ),
]

ATTESTATION_TITLES = {
    "standard": "Attestation d'assurance habitation",
    "detailed": "Attestation d'assurance habitation — garanties et plafonds",
    "seasonal": "Attestation d'assurance habitation — location saisonnière",
    "temporary": "Attestation d'assurance habitation temporaire",
}
ATTESTATION_PURPOSES = {
    "standard": "",
    "detailed": (
        "Attestation établie à la demande de l'assuré pour le syndic de copropriété «Régie "
        "Bellecour»."
    ),
    "seasonal": (
        "Le contrat garantit la location saisonnière du logement «Les Mouettes», "
        "12 allée des Œillets, 44500 La Baule, du 04/07/2026 au 18/07/2026."
    ),
    "temporary": (
        "Attestation délivrée pour la période des travaux de rénovation, du 01/12/2026 au "
        "28/02/2027."
    ),
}


def attestation(kind: str, **changes) -> AttestationData:
    data = AttestationData(
        kind=kind,
        title=ATTESTATION_TITLES[kind],
        reference=f"ATT-2026-{kind[:3].upper()}7F3K9Q",
        verify_url=f"https://espace.example.fr/verifier/ATT-2026-{kind[:3].upper()}7F3K9Q?c=4f9a2b71",
        issued_on="23/11/2026",
        holder_name="Mme Camille Martin",
        holder_address=HOLDER_ADDRESS,
        property_address=["27 rue Duguesclin", "3e étage, porte droite", "69006 Lyon"],
        property_description=PROPERTY_DESCRIPTION,
        contract_number="MRH-2021-004512",
        formula="Confort",
        contract_start="01/09/2021",
        valid_from="23/11/2026",
        valid_until="31/08/2027",
        civil_liability=CIVIL_LIABILITY,
        purpose=ATTESTATION_PURPOSES[kind],
        guarantees=GUARANTEES if kind == "detailed" else [],
    )
    return replace(data, **changes)


def certificate(guarantees: list[GuaranteeLine] = GUARANTEES) -> CertificateData:
    return CertificateData(
        reference="CG-2026-000087",
        issued_on="23/11/2026",
        holder_name="Mme Lætitia Cœur",
        holder_address=["8 place du Bouffay", "44000 Nantes"],
        property_address=["8 place du Bouffay", "44000 Nantes"],
        property_description=f"Maison de 5 pièces, 112{NBSP}m², occupée en qualité de propriétaire",
        contract_number="MRH-2024-018830",
        formula="Sérénité",
        contract_start="15/03/2024",
        furniture_capital=f"45{NNBSP}000,00{NBSP}€",
        deductible=f"150,00{NBSP}€",
        options=["Objets de valeur «Bijoux et œuvres d'art»", "Rééquipement à neuf"],
        guarantees=guarantees,
    )


def receipt() -> ReceiptData:
    return ReceiptData(
        reference="REC-2026-000123",
        issued_on="06/11/2026",
        holder_name="Mme Lætitia Cœur",
        holder_address=["8 place du Bouffay", "44000 Nantes"],
        contract_number="MRH-2024-018830",
        formula="Sérénité",
        property_address=["8 place du Bouffay", "44000 Nantes"],
        period="Novembre 2026",
        due_date="05/11/2026",
        paid_on="05/11/2026",
        method="Prélèvement SEPA",
        amount_excl_tax=f"1{NNBSP}171,01{NBSP}€",
        tax=f"105,39{NBSP}€",
        amount=f"1{NNBSP}276,40{NBSP}€",
    )


def many_guarantees(count: int) -> list[GuaranteeLine]:
    return [
        GuaranteeLine(
            category=f"Catégorie {index // 5 + 1}",
            name=f"Garantie numéro {index + 1:02d}",
            ceiling=f"{index + 1}{NNBSP}000,00{NBSP}€",
            deductible=f"150,00{NBSP}€",
            exclusions=[
                f"Exclusion A de la garantie {index + 1:02d}",
                f"Exclusion B de la garantie {index + 1:02d}, liée au défaut d'entretien",
            ],
        )
        for index in range(count)
    ]


# -- helpers ------------------------------------------------------------------------------------


def reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [shown(page.extract_text()) for page in reader(pdf).pages]


def full_text(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))


def shown(text: str) -> str:
    """`text` compared with the extracted text: when fpdf2 wraps or justifies a line it never breaks
    it at a no-break space but draws that space with the space glyph, so U+00A0 may come back as " "
    (narrow no-break spaces, U+202F, come back unchanged). Justified lines come back with runs of
    spaces."""
    return re.sub(" {2,}", " ", text.replace(NBSP, " "))


def flat(text: str) -> str:
    """Text with line breaks turned into spaces (sentences wrap over several lines)."""
    return re.sub(r"\s*\n\s*", " ", text)


def embedded_fonts(pdf: bytes) -> dict[str, bool]:
    """BaseFont name (subset prefix removed) -> whether a font program is embedded, for every
    page."""
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


def decoded_qr_codes(pdf: bytes) -> list[str]:
    image = pypdfium2.PdfDocument(BytesIO(pdf))[0].render(scale=200 / 72).to_pil()
    return [
        code.text
        for code in zxingcpp.read_barcodes(image)
        if code.format == zxingcpp.BarcodeFormat.QRCode
    ]


def bold_chunks(pdf: bytes) -> list[str]:
    chunks = []

    def visit(text, _cm, _tm, font, _size):
        if font is not None and str(font.get("/BaseFont", "")).endswith("DejaVuSansBold"):
            chunks.append(shown(text))

    for page in reader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return chunks


# -- attestations -------------------------------------------------------------------------------

KINDS = ["standard", "detailed", "seasonal", "temporary"]


@pytest.mark.parametrize("kind", KINDS)
def test_attestation_prints_the_contract_the_holder_and_the_validity(kind):
    data = attestation(kind)
    pdf = render_attestation(data)
    assert pdf.startswith(b"%PDF")
    text = full_text(pdf)
    flat_text = flat(text)
    for expected in [
        data.title,
        data.holder_name,
        *HOLDER_ADDRESS,
        data.contract_number,
        data.reference,
        "Cette attestation est valable du 23/11/2026 au 31/08/2027",
        "Fait à Nantes, le 23/11/2026",
        "Pour Espace Assurances, le service Gestion des contrats",
        "ne peut engager l'assureur au-delà des conditions du contrat",
    ]:
        assert expected in flat_text, expected
    assert (
        "27 rue Duguesclin, 3e étage, porte droite, 69006 Lyon" in flat_text
    )  # the insured property
    assert shown(f"68{NBSP}m², en cœur d'îlot") in flat_text
    assert (
        shown(f"4{NNBSP}500{NNBSP}000,00{NBSP}€") in text
    )  # civil liability ceiling, never split by a wrap
    assert "responsabilité civile" in text
    assert "Vérifiez l'authenticité de cette attestation" in flat_text
    assert data.verify_url in text
    if data.purpose:
        assert shown(data.purpose) in flat_text


def test_attestation_purpose_with_guillemets_and_ligature_is_printed():
    text = flat(full_text(render_attestation(attestation("seasonal"))))
    assert "«Les Mouettes», 12 allée des Œillets, 44500 La Baule" in text


def test_only_the_detailed_attestation_has_the_guarantees_table():
    detailed = full_text(render_attestation(attestation("detailed")))
    # A standard attestation does not list the guarantees even when the data carries them.
    standard = full_text(render_attestation(attestation("standard", guarantees=GUARANTEES)))
    assert "Garanties, plafonds et franchises" in detailed
    assert "Garanties, plafonds et franchises" not in standard
    for line in GUARANTEES:
        assert line.name in detailed
        assert line.name not in standard
    assert shown(f"25{NNBSP}000,00{NBSP}€") in detailed
    assert shown(f"380,00{NBSP}€") in detailed
    assert shown(f"25{NNBSP}000,00{NBSP}€") not in standard


@pytest.mark.parametrize("kind", KINDS)
def test_attestation_qr_code_decodes_to_the_verification_url(kind):
    data = attestation(kind)
    assert decoded_qr_codes(render_attestation(data)) == [data.verify_url]


def test_qr_code_follows_the_data():
    other = "https://espace.example.fr/verifier/ATT-2026-OTHER1?c=00000000"
    assert decoded_qr_codes(render_attestation(attestation("standard", verify_url=other))) == [
        other
    ]


def test_attestation_metadata():
    data = attestation("standard")
    pdf = reader(render_attestation(data))
    assert pdf.metadata.title == data.title
    assert pdf.metadata.author == "Espace Assurances"
    assert pdf.metadata.creator == "Espace"
    assert pdf.trailer["/Root"]["/Lang"] == "fr"


# -- every document -----------------------------------------------------------------------------

ALL_DOCUMENTS = {
    **{
        f"attestation-{kind}": (render_attestation, (lambda kind=kind: attestation(kind)))
        for kind in KINDS
    },
    "certificate": (render_certificate, certificate),
    "receipt": (render_receipt, receipt),
}


@pytest.mark.parametrize("name", ALL_DOCUMENTS)
def test_dejavu_fonts_are_embedded_and_no_glyph_is_missing(name, caplog):
    render, sample = ALL_DOCUMENTS[name]
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        pdf = render(sample())
    assert embedded_fonts(pdf) == {"DejaVuSansBook": True, "DejaVuSansBold": True}
    assert not [record for record in caplog.records if "missing" in record.getMessage()]


@pytest.mark.parametrize("name", ALL_DOCUMENTS)
def test_header_and_footer_on_every_page(name):
    render, sample = ALL_DOCUMENTS[name]
    texts = page_texts(render(sample()))
    for number, text in enumerate(texts, start=1):
        assert "Espace Assurances" in text
        assert f"Page {number} / {len(texts)}" in text
        assert "RCS Nantes 912 345 678" in text


def font_files(pdf: bytes) -> dict[str, bytes]:
    files = {}
    for font in reader(pdf).pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        files[str(font["/BaseFont"])] = descriptor["/FontFile2"].get_object().get_data()
    return files


def test_each_document_embeds_its_own_font_subset():
    """The font cache must not leak one document's glyphs into the next one."""
    first = font_files(render_receipt(receipt()))
    render_certificate(
        replace(certificate(), holder_name="M. Jørgen Strauß-Żelazny")
    )  # glyphs not in the receipt
    again = font_files(render_receipt(receipt()))
    assert first == again
    full = (FONT_DIR / "DejaVuSans.ttf").stat().st_size
    assert all(
        1_000 < len(data) < full / 5 for data in first.values()
    )  # subsets, not the whole font


def test_remembered_text_widths_are_fpdf2s_own(monkeypatch):
    """The widths remembered per face (fonts._DocumentFont) change nothing in the layout: the
    same widths as fpdf2 computes, the same PDF page content as without the memory."""
    from fpdf.fonts import TTFFont

    from espace.documents.pdf import fonts

    font = fonts._document_font(fonts._face(""), 1)
    for text in ("a", "Garantie", "1\u202f234,56\u00a0€", "Ελένη Дмитрий", "", "ﬁ œ Ω"):
        assert font.get_text_width(text, 9.5, None) == TTFFont.get_text_width(font, text, 9.5, None)

    def pages(pdf: bytes) -> list[bytes]:
        return [page.get_contents().get_data() for page in pypdf.PdfReader(BytesIO(pdf)).pages]

    data = attestation("detailed", holder_name="Mme Ελένη Strauß")
    remembered = pages(render_attestation(data))
    monkeypatch.setattr(fonts._DocumentFont, "get_text_width", TTFFont.get_text_width)
    assert pages(render_attestation(data)) == remembered


def test_characters_outside_latin_are_embedded_too(caplog):
    name = "Mme Eléni Papadopoúlou (Ελένη Παπαδοπούλου), M. Dmitri Ivanov (Дмитрий Иванов)"
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        pdf = render_attestation(attestation("standard", holder_name=name))
    assert name in flat(full_text(pdf))
    assert embedded_fonts(pdf) == {"DejaVuSansBook": True, "DejaVuSansBold": True}
    assert not [record for record in caplog.records if "missing" in record.getMessage()]


# -- certificate --------------------------------------------------------------------------------


def test_certificate_lists_the_contract_and_every_guarantee_with_its_exclusions():
    data = certificate()
    pdf = render_certificate(data)
    assert pdf.startswith(b"%PDF")
    text = full_text(pdf)
    flat_text = flat(text)
    for expected in [
        "Certificat de garanties",
        "Mme Lætitia Cœur",
        "MRH-2024-018830",
        "Sérénité",
        "15/03/2024",
        shown(f"45{NNBSP}000,00{NBSP}€"),
        "Objets de valeur «Bijoux et œuvres d'art»",
        "Rééquipement à neuf",
        "8 place du Bouffay",
        "44000 Nantes",
    ]:
        assert expected in text, expected
    for line in data.guarantees:
        assert line.name in flat_text
        assert shown(line.ceiling) in flat_text
        assert shown(line.deductible) in flat_text
        for exclusion in line.exclusions:
            assert f"• {exclusion}" in flat_text or f"•{exclusion}" in flat_text, exclusion
    assert not decoded_qr_codes(pdf)  # no QR code on a certificate


def test_certificate_with_40_guarantees_spans_several_pages():
    guarantees = many_guarantees(40)
    pdf = render_certificate(certificate(guarantees))
    texts = page_texts(pdf)
    assert len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} / {len(texts)}" in text
    text = flat("\n".join(texts))
    for line in guarantees:
        assert line.name in text
        assert line.exclusions[1] in text
    # the column headings are repeated on every page holding guarantees
    assert all("Garantie Plafond Franchise" in page for page in texts[1:])


# -- receipt ------------------------------------------------------------------------------------


def test_receipt_prints_the_payment_and_the_amounts():
    data = receipt()
    pdf = render_receipt(data)
    assert pdf.startswith(b"%PDF")
    text = full_text(pdf)
    flat_text = flat(text)
    for expected in [
        "Reçu de cotisation",
        "REC-2026-000123",
        "Mme Lætitia Cœur",
        "MRH-2024-018830",
        "Sérénité",
        "8 place du Bouffay",
        "Novembre 2026",
        "05/11/2026",
        "Prélèvement SEPA",
        shown(data.amount_excl_tax),
        shown(data.tax),
        shown(data.amount),
        "Taxe sur les conventions d'assurance",
    ]:
        assert expected in text, expected
    assert "Nous accusons réception de votre règlement de" in flat_text
    assert f"Cotisation hors taxes {shown(data.amount_excl_tax)}" in text
    assert f"Taxe sur les conventions d'assurance {shown(data.tax)}" in text
    assert f"Montant total TTC {shown(data.amount)}" in text
    assert any(
        shown(data.amount) in chunk for chunk in bold_chunks(pdf)
    )  # the total incl. tax is in bold
    assert not any(shown(data.tax) in chunk for chunk in bold_chunks(pdf))
