"""Checks on the files that policyholders attach to a claim, and photo thumbnails.

A claim accepts photos (JPEG, PNG, HEIC from iPhones) and PDF documents. The type is
decided from the file's content, never from its name: the magic bytes are sniffed with
``filetype``, then the file must really open (Pillow / pillow-heif for photos, pypdf for
PDFs). Every refusal is an ``UploadRejected`` whose ``message`` is a French sentence
naming the file, ready to be shown to the user.

The extension returned by ``check_upload`` comes from the detected type, so it can be
used safely in a storage key (see ``espace.core.storage.put``).
"""

from __future__ import annotations

import io
import math
import unicodedata
import warnings
from dataclasses import dataclass

import filetype
import pillow_heif
from PIL import Image, ImageOps
from pypdf import PdfReader

MAX_BYTES = 10 * 1024 * 1024  # 10 Mo per file
MAX_FILES_PER_CLAIM = 20
MAX_PIXELS = 50_000_000  # 50 megapixels: anything bigger is treated as a decompression bomb
MAX_FILENAME_CHARS = 120
DEFAULT_FILENAME = "fichier"

_MEGABYTE = 1024 * 1024
# Unicode categories dropped from display names: controls (newlines, NUL...), format
# characters (bidi overrides that disguise "gpj.exe" as "exe.jpg"), surrogates, private use.
_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co"}
_MAX_KEPT_SUFFIX = 10  # an extension longer than this is not preserved when truncating


@dataclass(frozen=True)
class _Format:
    kind: str
    mime_type: str
    extension: str
    pillow_format: str | None  # None for PDF


# Accepted formats, keyed by the MIME type that ``filetype`` reports.
_FORMATS = {
    "image/jpeg": _Format("photo", "image/jpeg", "jpg", "JPEG"),
    "image/png": _Format("photo", "image/png", "png", "PNG"),
    "image/heic": _Format("photo", "image/heic", "heic", "HEIF"),
    "application/pdf": _Format("pdf", "application/pdf", "pdf", None),
}

pillow_heif.register_heif_opener()


class UploadRejected(ValueError):
    """A refused upload; ``message`` is a French sentence for the user, naming the file."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedUpload:
    kind: str  # "photo" or "pdf"
    mime_type: str  # "image/jpeg" | "image/png" | "image/heic" | "application/pdf"
    extension: str  # "jpg" | "png" | "heic" | "pdf"
    size_bytes: int
    filename: str  # sanitised display name


# --- filenames and French numbers -------------------------------------------------------


def sanitize_filename(filename: str | None) -> str:
    """Display name: basename only, no control characters, at most 120 chars, never empty."""
    name = unicodedata.normalize("NFC", filename or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _FORBIDDEN_CATEGORIES)
    name = name.strip()
    if name in ("", ".", ".."):
        return DEFAULT_FILENAME
    return _truncate(name)


def _truncate(name: str) -> str:
    """Shorten to MAX_FILENAME_CHARS, keeping a short extension such as ``.jpg`` visible."""
    if len(name) <= MAX_FILENAME_CHARS:
        return name
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and len(suffix) + 1 <= _MAX_KEPT_SUFFIX:
        kept = MAX_FILENAME_CHARS - len(suffix) - 1
        return f"{stem[:kept].rstrip()}.{suffix}"
    return name[:MAX_FILENAME_CHARS].rstrip()


def _decimal_fr(value: float) -> str:
    """One decimal, rounded up, with a French decimal comma: 10.01 -> '10,1'."""
    return f"{math.ceil(value * 10) / 10:.1f}".replace(".", ",")


# --- check_upload -----------------------------------------------------------------------


def check_upload(*, data: bytes, filename: str, existing_count: int = 0) -> CheckedUpload:
    """Accept a claim attachment or raise ``UploadRejected`` with a French message."""
    name = sanitize_filename(filename)
    if existing_count >= MAX_FILES_PER_CLAIM:
        raise UploadRejected(
            f"Un sinistre peut compter au plus {MAX_FILES_PER_CLAIM} fichiers : « {name} » "
            "n'a pas été ajouté."
        )
    if not data:
        raise UploadRejected(f"Le fichier « {name} » est vide.")
    if len(data) > MAX_BYTES:
        raise UploadRejected(
            f"Le fichier « {name} » pèse {_decimal_fr(len(data) / _MEGABYTE)} Mo : "
            f"la limite est de {MAX_BYTES // _MEGABYTE} Mo par fichier."
        )
    fmt = _sniff(data, name)
    if fmt.kind == "photo":
        _check_image(data, fmt, name)
    else:
        _check_pdf(data, name)
    return CheckedUpload(
        kind=fmt.kind,
        mime_type=fmt.mime_type,
        extension=fmt.extension,
        size_bytes=len(data),
        filename=name,
    )


def _sniff(data: bytes, name: str) -> _Format:
    """The accepted format matching the content's magic bytes (the filename is ignored)."""
    guess = filetype.guess(data)
    fmt = _FORMATS.get(guess.mime) if guess else None
    if fmt is None or (fmt.kind == "pdf" and not data.startswith(b"%PDF-")):
        raise UploadRejected(
            f"Le contenu du fichier « {name} » ne correspond à aucun format accepté : "
            "envoyez une photo ou un document au format JPEG, PNG, HEIC ou PDF."
        )
    return fmt


def _check_image(data: bytes, fmt: _Format, name: str) -> None:
    """The photo must be of the sniffed format, reasonably sized, and decode completely."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with _open_image(data, fmt.pillow_format) as image:
                _check_pixels(image, name)
                image.verify()
            # verify() leaves the image unusable and skips the JPEG scan data:
            # decode it again for real, cheaply thanks to JPEG draft mode.
            with _open_image(data, fmt.pillow_format) as image:
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(name, None) from None
    except UploadRejected:
        raise
    except Exception:  # noqa: BLE001 - Pillow and libheif raise many kinds of errors on damaged files
        raise UploadRejected(
            f"La photo « {name} » est illisible ou endommagée : reprenez-la ou envoyez-la à "
            "nouveau."
        ) from None


def _open_image(data: bytes, pillow_format: str | None) -> Image.Image:
    return Image.open(io.BytesIO(data), formats=[pillow_format] if pillow_format else None)


def _check_pixels(image: Image.Image, name: str) -> None:
    pixels = image.width * image.height
    if pixels > MAX_PIXELS:
        raise _too_many_pixels(name, pixels)


def _too_many_pixels(name: str, pixels: int | None) -> UploadRejected:
    size = f" ({_decimal_fr(pixels / 1_000_000)} mégapixels)" if pixels else ""
    return UploadRejected(
        f"La photo « {name} » est trop grande{size} : la limite est de {MAX_PIXELS // 1_000_000} "
        "mégapixels. Réduisez sa résolution avant de l'envoyer."
    )


def _check_pdf(data: bytes, name: str) -> None:
    """The PDF must open with pypdf, not be encrypted, and have at least one page."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of errors on malformed files
        encrypted, pages = False, 0
    if encrypted:
        raise UploadRejected(
            f"Le PDF « {name} » est protégé par un mot de passe ou chiffré : envoyez une "
            "version non protégée."
        )
    if pages < 1:
        raise UploadRejected(
            f"Le PDF « {name} » est illisible ou endommagé : enregistrez-le à nouveau puis "
            "renvoyez-le."
        )


# --- thumbnails -------------------------------------------------------------------------


def thumbnail(*, data: bytes, mime_type: str, size: int = 320) -> bytes | None:
    """JPEG thumbnail (longest side ``size``, upright, RGB, no metadata) of a checked photo.

    Returns None for PDFs. ``data`` must have passed ``check_upload``.
    """
    fmt = _FORMATS.get(mime_type)
    if fmt is None:
        raise ValueError(f"unsupported mime type: {mime_type!r}")
    if fmt.kind != "photo":
        return None
    with _open_image(data, fmt.pillow_format) as image:
        if image.width * image.height > MAX_PIXELS:
            raise ValueError("image too large for a thumbnail")
        image.draft("RGB", (size, size))
        upright = ImageOps.exif_transpose(image)
        upright.thumbnail((size, size), Image.Resampling.LANCZOS)
        rgb = _flatten_to_rgb(upright)
    out = io.BytesIO()
    # No exif= / icc_profile= arguments: the thumbnail carries no EXIF (GPS) metadata.
    rgb.save(out, format="JPEG", quality=80, optimize=True)
    return out.getvalue()


def _flatten_to_rgb(image: Image.Image) -> Image.Image:
    """RGB image; transparent areas (PNG) become white instead of black."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
