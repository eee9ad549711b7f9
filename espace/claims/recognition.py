"""What an uploaded file says about itself: an invoice or a quote recognised from a PDF's text (with
the amount found, shown to the holder for confirmation), and the capture date of a photo read from
its EXIF metadata before anything strips it.

Pure functions on bytes and text (no database): ``declaration_contents.add_file`` calls them."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from espace.claims.models import ClaimFileKind
from espace.core import formatting as fmt

PARIS = ZoneInfo("Europe/Paris")
EXIF_IFD = 0x8769
DATE_TIME_ORIGINAL = 0x9003
DATE_TIME_DIGITIZED = 0x9004
DATE_TIME = 0x0132

_NUMBER = r"(\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d{2})?|\d+(?:[,.]\d{2})?)"
_CURRENCY = r"\s*(?:€|eur\b|euros?\b)"
# "Total TTC : 1 234,56 €", "Net à payer 320,00 EUR", "Montant TTC 89.90"
_TOTAL = re.compile(
    r"(?:total\s*t\.?t\.?c\.?|montant\s*t\.?t\.?c\.?|net\s*[àa]\s*payer|total\s*[àa]\s*payer|"
    r"montant\s*total|total)\s*[:=]?\s*" + _NUMBER + f"(?:{_CURRENCY})?",
    re.IGNORECASE,
)
_EUROS = re.compile(_NUMBER + _CURRENCY, re.IGNORECASE)


@dataclass(frozen=True)
class Recognised:
    kind: str  # ClaimFileKind.INVOICE | QUOTE, or "" when neither
    amount_cents: int | None


def _cents(text: str) -> int | None:
    cleaned = re.sub(r"[ \u00a0\u202f]", "", text)
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d{2})?", cleaned):  # 1.234,56
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", ".")
    try:
        value = round(float(cleaned) * 100)
    except ValueError:
        return None
    return value if 0 < value <= 100_000_000 else None


def recognise_text(text: str) -> Recognised:
    """An invoice ("facture") or a quote ("devis") by its words, and its total when one is written.
    A document that says both is an invoice when it says "facture" in its first lines."""
    lowered = (text or "").lower()
    head = lowered[:400]
    if re.search(r"\bfacture\b", head) or (
        re.search(r"\bfacture\b", lowered) and not re.search(r"\bdevis\b", head)
    ):
        kind = ClaimFileKind.INVOICE
    elif re.search(r"\bdevis\b", lowered):
        kind = ClaimFileKind.QUOTE
    else:
        return Recognised("", None)
    totals = [_cents(m.group(1)) for m in _TOTAL.finditer(text)]
    totals = [t for t in totals if t]
    if totals:
        return Recognised(kind, totals[-1])  # the last total is the one to pay (TTC after HT)
    amounts = [a for a in (_cents(m.group(1)) for m in _EUROS.finditer(text)) if a]
    return Recognised(kind, max(amounts) if amounts else None)


def recognise_pdf(data: bytes) -> Recognised:
    from espace.documents.library import extract_text

    return recognise_text(extract_text(data))


def capture_time(data: bytes) -> datetime | None:
    """When the photo was taken (EXIF DateTimeOriginal, else DateTimeDigitized, else DateTime), as
    Paris time; None without metadata or for anything unreadable."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
            sub = exif.get_ifd(EXIF_IFD) if exif else {}
            raw = sub.get(DATE_TIME_ORIGINAL) or sub.get(DATE_TIME_DIGITIZED) or exif.get(DATE_TIME)
    except Exception:  # noqa: BLE001 - a photo without readable metadata simply has no date
        return None
    if not raw:
        return None
    try:
        moment = datetime.strptime(str(raw).strip().rstrip("\x00")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    if moment.year < 1990:
        return None
    return moment.replace(tzinfo=PARIS)


def photo_note(captured: datetime | None, loss: date | None) -> tuple[str, bool]:
    """('Prise le 12/11/2026 à 10:42', warn): warn when the photo was taken before the loss day."""
    if captured is None:
        return "", False
    text = f"Prise le {fmt.datetime_fr(captured)}"
    if loss is not None and captured.astimezone(PARIS).date() < loss:
        return text + " — attention : avant la date du sinistre", True
    return text, False


def document_note(kind: str, amount_cents: int | None) -> str:
    """'Facture reconnue : 320,00 € (vérifiez le montant)'."""
    label = {ClaimFileKind.INVOICE: "Facture", ClaimFileKind.QUOTE: "Devis"}.get(kind)
    if not label or amount_cents is None:
        return ""
    found = "reconnue" if label == "Facture" else "reconnu"
    return f"{label} {found} : {fmt.money(amount_cents)} (vérifiez le montant)"
