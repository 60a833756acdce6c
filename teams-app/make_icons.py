"""Draw the Teams app icons with the standard library: color.png (192x192, full colour) and
outline.png (32x32, white on transparent, as Teams requires). Run: python teams-app/make_icons.py
"""
from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
TEAL = (11, 85, 99, 255)
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)
Pixel = tuple[int, int, int, int]


def png(size: int, pixel: Callable[[float, float], Pixel]) -> bytes:
    """An RGBA PNG; pixel(x, y) gets coordinates scaled to 0..1 (pixel centres)."""
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel((x + 0.5) / size, (y + 0.5) / size)) for x in range(size))
        for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9))
            + chunk(b"IEND", b""))


def document(x: float, y: float, stroke: float, line_width: float) -> tuple[bool, bool, bool]:
    """A page with a folded corner and three text lines: (on the page, on its edge, on a line)."""
    left, right, top, bottom, fold = 0.26, 0.74, 0.16, 0.84, 0.14
    inside = left <= x <= right and top <= y <= bottom and not (x > right - fold and y < top + fold
                                                                 and (x - (right - fold)) > (y - top))
    near_edge = inside and (x < left + stroke or x > right - stroke or y < top + stroke
                            or y > bottom - stroke or abs((x - (right - fold)) - (y - top)) < stroke)
    text_line = inside and left + 0.1 <= x <= right - 0.1 and any(
        abs(y - row) < line_width for row in (0.42, 0.55, 0.68))
    return inside, near_edge, text_line


def color(x: float, y: float) -> Pixel:
    inside, _, line = document(x, y, 0.035, 0.024)
    return WHITE if inside and not line else TEAL


def outline(x: float, y: float) -> Pixel:
    _, edge, line = document(x, y, 0.06, 0.02)
    return WHITE if edge or line else CLEAR


def main() -> None:
    (HERE / "color.png").write_bytes(png(192, color))
    (HERE / "outline.png").write_bytes(png(32, outline))
    print(f"wrote {HERE / 'color.png'} and {HERE / 'outline.png'}")


if __name__ == "__main__":
    main()
