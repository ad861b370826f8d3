#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Prints the number of distinct pixel colours of a PNG (8-bit RGB or RGBA, not interlaced,
as Chromium writes screenshots), with only the standard library: 1 means a blank image.
Usage: png-colours.py FILE [ENOUGH]: stops counting once ENOUGH colours are seen (decoding a
whole screenshot in Python takes seconds). `png-colours.py --blank FILE W H` writes a
one-colour PNG, for testing this decoder."""
import struct
import sys
import zlib


def colours(path, enough=None):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG")
    pos, idat = 8, []
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    if depth != 8 or colour_type not in (2, 6) or interlace:
        raise SystemExit(f"{path}: unsupported PNG (depth {depth}, colour type {colour_type}, interlace {interlace})")
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    previous = bytearray(stride)
    seen = set()
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        row = bytearray(raw[start + 1:start + 1 + stride])
        # The five PNG filters (PNG spec, section 9).
        if kind == 1:
            for i in range(bpp, stride):
                row[i] = (row[i] + row[i - bpp]) & 0xFF
        elif kind == 2:
            row = bytearray((a + b) & 0xFF for a, b in zip(row, previous))
        elif kind == 3:
            for i in range(stride):
                left = row[i - bpp] if i >= bpp else 0
                row[i] = (row[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = row[i - bpp] if i >= bpp else 0
                b = previous[i]
                c = previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                row[i] = (row[i] + predictor) & 0xFF
        seen.update(bytes(row[i:i + bpp]) for i in range(0, stride, bpp))
        previous = row
        if enough is not None and len(seen) >= enough:
            break
    return len(seen)


def write_blank(path, width, height):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    # Rows alternate filters None and Up, so both paths of the decoder run.
    rows = b"".join((b"\x00" + b"\xff" * (3 * width)) if y % 2 == 0 else (b"\x02" + b"\x00" * (3 * width))
                    for y in range(height))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
                chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    if sys.argv[1] == "--blank":
        write_blank(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        print(colours(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else None))
