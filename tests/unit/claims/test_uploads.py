"""Claim attachments: type sniffed from content, limits, filename sanitising, thumbnails."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader, PdfWriter

from espace.claims import uploads
from espace.claims.uploads import (
    MAX_BYTES,
    MAX_FILES_PER_CLAIM,
    CheckedUpload,
    UploadRejected,
    check_upload,
    thumbnail,
)

ORIENTATION = 0x0112
GPS_IFD = 0x8825


def image_bytes(fmt: str, size=(64, 48), **save_args) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt, **save_args)
    return out.getvalue()


def pdf_bytes() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Déclaration de sinistre")
    return bytes(pdf.output())


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims a huge size (no pixel data is needed to open it)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def rejection(**kwargs) -> str:
    with pytest.raises(UploadRejected) as caught:
        check_upload(**kwargs)
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == caught.value.message
    return caught.value.message


# --- accepted files -------------------------------------------------------------------


def test_jpeg_png_and_pdf_are_accepted_with_their_detected_type():
    jpeg = image_bytes("JPEG")
    assert check_upload(data=jpeg, filename="IMG_0001.JPG") == CheckedUpload(
        kind="photo",
        mime_type="image/jpeg",
        extension="jpg",
        size_bytes=len(jpeg),
        filename="IMG_0001.JPG",
    )
    png = check_upload(data=image_bytes("PNG"), filename="capture.png")
    assert (png.kind, png.mime_type, png.extension) == ("photo", "image/png", "png")
    pdf = pdf_bytes()
    checked = check_upload(data=pdf, filename="facture.pdf", existing_count=MAX_FILES_PER_CLAIM - 1)
    assert (checked.kind, checked.mime_type, checked.extension, checked.size_bytes) == (
        "pdf",
        "application/pdf",
        "pdf",
        len(pdf),
    )


def test_heic_photo_is_accepted():
    pillow_heif = pytest.importorskip("pillow_heif")
    if not pillow_heif.libheif_info().get("HEIF"):
        pytest.skip("this libheif build cannot encode HEIC")
    heic = image_bytes("HEIF", size=(128, 96))
    checked = check_upload(data=heic, filename="IMG_4242.HEIC")
    assert (checked.kind, checked.mime_type, checked.extension) == ("photo", "image/heic", "heic")
    thumb = thumbnail(data=heic, mime_type="image/heic")
    assert Image.open(io.BytesIO(thumb)).format == "JPEG"


def test_type_comes_from_content_not_extension():
    checked = check_upload(data=image_bytes("PNG"), filename="scan.pdf")
    assert (checked.mime_type, checked.extension, checked.filename) == (
        "image/png",
        "png",
        "scan.pdf",
    )
    checked = check_upload(data=pdf_bytes(), filename="photo.jpg")
    assert (checked.kind, checked.extension) == ("pdf", "pdf")


# --- refused files --------------------------------------------------------------------


def test_renamed_windows_executable_is_refused():
    exe = b"MZ\x90\x00" + b"\x00" * 2048
    message = rejection(data=exe, filename="photo.jpg")
    assert "« photo.jpg »" in message
    assert "JPEG, PNG, HEIC ou PDF" in message


def test_other_formats_are_refused_even_if_they_are_images():
    for fmt in ("GIF", "BMP", "WEBP"):
        message = rejection(data=image_bytes(fmt), filename=f"image.{fmt.lower()}")
        assert "JPEG, PNG, HEIC ou PDF" in message
    assert "JPEG, PNG, HEIC ou PDF" in rejection(
        data=b"bonjour, ceci est du texte", filename="note.jpg"
    )


def test_too_big_file_is_refused_with_its_size_in_mo():
    data = b"\xff\xd8\xff" + b"\x00" * (11 * 1024 * 1024 - 3)
    message = rejection(data=data, filename="photo.jpg")
    assert message == "Le fichier « photo.jpg » pèse 11,0 Mo : la limite est de 10 Mo par fichier."
    # One byte over the limit never reads as "10,0 Mo".
    assert "10,1 Mo" in rejection(data=b"\x00" * (MAX_BYTES + 1), filename="a.pdf")


def test_file_of_exactly_the_limit_passes_the_size_rule():
    padded = pdf_bytes()
    padded += b"\n%" + b"x" * (MAX_BYTES - len(padded) - 2)
    assert len(padded) == MAX_BYTES
    assert check_upload(data=padded, filename="gros.pdf").size_bytes == MAX_BYTES


def test_empty_file_is_refused():
    assert rejection(data=b"", filename="vide.jpg") == "Le fichier « vide.jpg » est vide."


def test_twenty_first_file_is_refused_before_anything_else():
    message = rejection(data=b"", filename="x.jpg", existing_count=MAX_FILES_PER_CLAIM)
    assert "20 fichiers" in message
    assert "« x.jpg »" in message
    assert "20 fichiers" in rejection(data=image_bytes("JPEG"), filename="y.jpg", existing_count=25)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_image_is_refused(fmt):
    noise = Image.effect_noise((320, 240), 60).convert("RGB")
    out = io.BytesIO()
    noise.save(out, fmt)
    data = out.getvalue()
    message = rejection(data=data[: len(data) // 2], filename="abimee.img")
    assert "« abimee.img »" in message
    assert "endommagée" in message


def test_corrupted_jpeg_is_refused():
    data = bytearray(image_bytes("JPEG", size=(320, 240)))
    data[300:-200] = b"\x00" * (len(data) - 500)
    assert "endommagée" in rejection(data=bytes(data), filename="photo.jpg")


def test_image_over_50_megapixels_is_refused():
    message = rejection(data=png_header_only(8000, 7000), filename="panorama.png")
    assert "« panorama.png »" in message
    assert "56,0 mégapixels" in message
    assert "50 mégapixels" in message


def test_pillow_decompression_bomb_error_becomes_a_rejection():
    # 400 Mpx: Pillow itself raises DecompressionBombError when opening it.
    message = rejection(data=png_header_only(20000, 20000), filename="bombe.png")
    assert "50 mégapixels" in message


def test_pdf_with_only_a_header_is_refused():
    message = rejection(data=b"%PDF-1.7\n" + b"\x00garbage" * 50, filename="releve.pdf")
    assert message.startswith("Le PDF « releve.pdf » est illisible")


def test_text_starting_like_pdf_but_broken_is_refused():
    data = pdf_bytes()
    message = rejection(data=data[: len(data) // 3], filename="devis.pdf")
    assert "illisible" in message


def test_encrypted_pdf_is_refused():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt(user_password="secret", owner_password="secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    message = rejection(data=out.getvalue(), filename="bulletin.pdf")
    assert "« bulletin.pdf »" in message
    assert "mot de passe" in message


# --- filenames ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\Marie\\Photos\\cuisine.jpg", "cuisine.jpg"),
        ("dégât\ndes\r\neaux.jpg", "dégâtdeseaux.jpg"),
        ("photo\u202egpj.exe", "photogpj.exe"),
        ("  salon.png  ", "salon.png"),
        ("", "fichier"),
        ("..", "fichier"),
        ("dossier/", "fichier"),
        ("\x00\x07", "fichier"),
    ],
)
def test_filename_is_sanitised(raw, expected):
    assert check_upload(data=image_bytes("PNG"), filename=raw).filename == expected


def test_long_filename_is_cut_to_120_chars_keeping_the_extension():
    name = check_upload(data=image_bytes("JPEG"), filename="a" * 300 + ".jpeg").filename
    assert len(name) == 120
    assert name == "a" * 115 + ".jpeg"
    name = check_upload(data=image_bytes("JPEG"), filename="b" * 300).filename
    assert name == "b" * 120


def test_rejection_message_uses_the_sanitised_name():
    message = rejection(data=b"", filename="../secret\n.jpg")
    assert message == "Le fichier « secret.jpg » est vide."


# --- thumbnails -----------------------------------------------------------------------


def rotated_jpeg() -> bytes:
    """2000×1000 JPEG, red left half / blue right half, EXIF orientation 6 and a GPS tag."""
    image = Image.new("RGB", (2000, 1000), (255, 0, 0))
    image.paste((0, 0, 255), (1000, 0, 2000, 1000))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "Phone maker"
    exif.get_ifd(GPS_IFD)[2] = (48.0, 51.0, 24.0)  # GPSLatitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_thumbnail_is_upright_small_rgb_jpeg_without_exif():
    data = rotated_jpeg()
    assert check_upload(data=data, filename="cuisine.jpg").kind == "photo"
    thumb = thumbnail(data=data, mime_type="image/jpeg")
    image = Image.open(io.BytesIO(thumb))
    assert image.format == "JPEG"
    assert image.mode == "RGB"
    assert image.size == (160, 320)  # rotated: height > width, max side 320
    # Orientation 6 = rotate 90° clockwise: the red left half ends up on top.
    red, _, blue = image.getpixel((80, 40))
    assert red > 200 and blue < 60
    red, _, blue = image.getpixel((80, 280))
    assert blue > 200 and red < 60
    assert "exif" not in image.info
    assert len(image.getexif()) == 0
    assert b"Exif" not in thumb


def test_thumbnail_size_argument_and_small_images_are_not_enlarged():
    thumb = thumbnail(data=image_bytes("PNG", size=(1200, 600)), mime_type="image/png", size=100)
    assert Image.open(io.BytesIO(thumb)).size == (100, 50)
    thumb = thumbnail(data=image_bytes("JPEG", size=(64, 48)), mime_type="image/jpeg")
    assert Image.open(io.BytesIO(thumb)).size == (64, 48)


def test_thumbnail_of_transparent_png_has_white_background():
    image = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    thumb = Image.open(io.BytesIO(thumbnail(data=out.getvalue(), mime_type="image/png")))
    assert thumb.getpixel((25, 25)) > (240, 240, 240)


def test_thumbnail_of_pdf_is_none():
    assert thumbnail(data=pdf_bytes(), mime_type="application/pdf") is None


def test_thumbnail_rejects_unknown_mime_type():
    with pytest.raises(ValueError):
        thumbnail(data=image_bytes("GIF"), mime_type="image/gif")


def test_module_does_not_import_reflex():
    source = Path(uploads.__file__).read_text(encoding="utf-8")
    assert "import reflex" not in source
