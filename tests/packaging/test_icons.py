"""packaging/make_icons.py renders the app icon into every format the downloads use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PIL import Image

from tests.packaging import PACKAGING, packaging_module


def test_icons_are_rendered_in_every_size_and_format(tmp_path: Path) -> None:
    icons = packaging_module("make_icons")
    out = tmp_path / "icons"
    subprocess.run(
        [sys.executable, str(PACKAGING / "make_icons.py"), "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=120,
    )

    for size in icons.PNG_SIZES:
        with Image.open(out / "png" / f"codex-link-{size}.png") as png:
            assert png.format == "PNG"
            assert png.size == (size, size)
            assert png.mode == "RGBA"
            rgba = png.convert("RGBA")
            # transparent corners (rounded tile), the tile's blue in the middle
            corner, tile = rgba.getpixel((0, 0)), rgba.getpixel((size // 2, size // 5))
            assert isinstance(corner, tuple) and isinstance(tile, tuple)
            assert corner[3] == 0
            red, green, blue, alpha = tile
            assert alpha == 255 and blue > red and blue > green
    assert {16, 512, 1024} <= set(icons.PNG_SIZES)

    with Image.open(out / "codex-link.ico") as ico:
        assert ico.format == "ICO"
        assert set(ico.info["sizes"]) == {(s, s) for s in icons.ICO_SIZES}
        assert (256, 256) in ico.info["sizes"] and (16, 16) in ico.info["sizes"]

    with Image.open(out / "codex-link.icns") as icns:
        assert icns.format == "ICNS"
        assert icns.size == (1024, 1024)
        # 512@2x is the 1024 px image; 16@2x and 32@2x the small ones
        assert {(512, 512, 2), (256, 256, 1), (128, 128, 1), (16, 16, 2)} <= set(icns.info["sizes"])


def test_icons_go_under_build_by_default() -> None:
    icons = packaging_module("make_icons")
    assert PACKAGING.parent / "build" / "icons" == icons.DEFAULT_OUT
