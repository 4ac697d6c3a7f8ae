"""Renders the app icon (resources/icons/codex-link.svg) for every platform, at build time.

`python packaging/make_icons.py [--out build/icons]` writes:
  png/codex-link-<N>.png   N in PNG_SIZES (Linux hicolor icons, AppImage, the rest's sources)
  codex-link.ico           every ICO_SIZES size in one file (Windows executables, installer)
  codex-link.icns          macOS app bundle
Qt's QSvgRenderer draws the SVG (offscreen: no display needed), Pillow writes the containers.
The results are build products: never commit them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import distinfo
from PIL import Image

PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)
DEFAULT_OUT = distinfo.ROOT / "build" / "icons"


def render(svg: Path, sizes: Sequence[int]) -> dict[int, Image.Image]:
    """The SVG drawn at each size: square RGBA images with a transparent background."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"not a valid SVG: {svg}")
    out: dict[int, Image.Image] = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        # ARGB32 is 0xAARRGGBB per pixel: B, G, R, A bytes on little-endian machines
        raw = "BGRA" if sys.byteorder == "little" else "ARGB"
        pixels = bytes(image.constBits())
        out[size] = Image.frombytes("RGBA", (size, size), pixels, "raw", raw, image.bytesPerLine())
    del app  # keep the application alive until every image is drawn
    return out


def make_icons(out_dir: Path = DEFAULT_OUT, svg: Path = distinfo.APP_ICON_SVG) -> dict[str, Path]:
    """Writes every icon file under out_dir; returns them by kind ("ico", "icns", "png-<N>")."""
    sizes = sorted(set(PNG_SIZES) | set(ICO_SIZES) | set(ICNS_SIZES))
    images = render(svg, sizes)
    (out_dir / "png").mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for size in PNG_SIZES:
        path = out_dir / "png" / f"{distinfo.NAME}-{size}.png"
        images[size].save(path, format="PNG", optimize=True)
        written[f"png-{size}"] = path

    ico = out_dir / f"{distinfo.NAME}.ico"
    largest = images[max(ICO_SIZES)]
    largest.save(
        ico,
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )
    written["ico"] = ico

    icns = out_dir / f"{distinfo.NAME}.icns"
    images[max(ICNS_SIZES)].save(
        icns, format="ICNS", append_images=[images[s] for s in ICNS_SIZES[:-1]]
    )
    written["icns"] = icns
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder (build/icons)")
    parser.add_argument("--svg", type=Path, default=distinfo.APP_ICON_SVG)
    args = parser.parse_args(argv)
    for kind, path in make_icons(args.out, args.svg).items():
        print(f"{kind:9} {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
