"""PNG files from rendered pixels: the figures' raster format (PNG spec, W3C 2003)."""

from __future__ import annotations

import struct
import zlib

import numpy as np

__all__ = ["rgb_png"]


def rgb_png(rgba: memoryview, dpi: float) -> bytes:
    """An RGBA pixel buffer (an Agg canvas) as an RGB PNG marked ``dpi`` (alpha is dropped:
    the figures are opaque).

    Written here rather than by Pillow: every row unfiltered and deflated at level 3 comes
    out smaller for these flat-coloured figures, and three times faster, than Pillow's
    per-row filter search.
    """
    pixels = np.asarray(rgba)
    height, width = pixels.shape[:2]
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # each row: filter 0, then RGB
    rows[:, 1:] = pixels[:, :, :3].reshape(height, 3 * width)
    per_metre = round(dpi / 0.0254)  # pHYs holds pixels per metre

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body))

    return b"".join([
        b"\x89PNG\r\n\x1a\n",
        chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),  # 8-bit RGB
        chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
        chunk(b"IDAT", zlib.compress(rows.data, 3)),
        chunk(b"IEND", b""),
    ])
