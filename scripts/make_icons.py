"""Draw the PWA icons (the white "E" mark on #0b4f6c) into assets/icons/.

Run again after changing the brand colour or the mark: ``.venv/bin/python scripts/make_icons.py``.

- icon-192.png / icon-512.png (purpose "any"): rounded square, transparent corners, like
  favicon.svg;
- maskable-192.png / maskable-512.png (purpose "maskable"): full-bleed colour, the "E" kept well
  inside the safe zone (the centred circle whose diameter is 80 % of the icon), so no platform mask
  can clip it;
- apple-touch-icon.png (180): full-bleed and opaque, iOS rounds the corners itself.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
OUT = ASSETS / "icons"
FONT = ASSETS / "fonts" / "DejaVuSans-Bold.ttf"

BRAND = (0x0B, 0x4F, 0x6C, 255)
WHITE = (255, 255, 255, 255)
SUPERSAMPLE = 4  # draw large, then downscale: smooth edges without relying on antialiasing support

# Height of the letter, as a share of the icon's side.
ANY_LETTER = 0.50
MASKABLE_LETTER = (
    0.40  # its bounding box's corners stay at ~29 % of the side from the centre, under 40 %
)
CORNER_RADIUS = 14 / 64  # same rounding as favicon.svg (rx=14 on a 64 viewBox)


def _letter(draw: ImageDraw.ImageDraw, side: int, height_share: float) -> None:
    """Draw a white "E" whose ink box is centred and ``height_share`` of ``side`` tall."""
    target = side * height_share
    if FONT.exists():
        size = int(target)
        font = ImageFont.truetype(str(FONT), size)
        for _ in range(
            3
        ):  # the ink of a capital is shorter than the font size: scale to the real height
            left, top, right, bottom = draw.textbbox((0, 0), "E", font=font)
            size = max(1, round(size * target / (bottom - top)))
            font = ImageFont.truetype(str(FONT), size)
        left, top, right, bottom = draw.textbbox((0, 0), "E", font=font)
        x = (side - (right - left)) / 2 - left
        y = (side - (bottom - top)) / 2 - top
        draw.text((x, y), "E", font=font, fill=WHITE)
        return
    # No bundled font: the geometric "E" of favicon.svg (path M20 18h24v6H27v5h15v6H27v5h17v6H20z,
    # 24x28).
    scale = target / 28
    ox, oy = (side - 24 * scale) / 2, (side - target) / 2
    points = [
        (20, 18),
        (44, 18),
        (44, 24),
        (27, 24),
        (27, 29),
        (42, 29),
        (42, 35),
        (27, 35),
        (27, 40),
        (44, 40),
        (44, 46),
        (20, 46),
    ]
    draw.polygon(
        [(ox + (px - 20) * scale, oy + (py - 18) * scale) for px, py in points], fill=WHITE
    )


def draw_icon(side: int, *, maskable: bool = False, full_bleed: bool = False) -> Image.Image:
    big = side * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable or full_bleed:
        draw.rectangle((0, 0, big, big), fill=BRAND)
    else:
        draw.rounded_rectangle(
            (0, 0, big - 1, big - 1), radius=round(big * CORNER_RADIUS), fill=BRAND
        )
    _letter(draw, big, MASKABLE_LETTER if maskable else ANY_LETTER)
    image = image.resize((side, side), Image.LANCZOS)
    if maskable or full_bleed:
        image = image.convert("RGB")  # opaque: nothing for a mask or iOS to show through
    return image


# file name: (side, options of draw_icon)
ICONS = {
    "icon-192.png": (192, {}),
    "icon-512.png": (512, {}),
    "maskable-192.png": (192, {"maskable": True}),
    "maskable-512.png": (512, {"maskable": True}),
    "apple-touch-icon.png": (180, {"full_bleed": True}),
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (side, options) in ICONS.items():
        draw_icon(side, **options).save(OUT / name, optimize=True)
        print(f"assets/icons/{name} ({side}x{side})")


if __name__ == "__main__":
    main()
