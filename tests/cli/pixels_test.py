#!/usr/bin/env python3
"""The command line's image loader against PIL, on fixtures made here.

usage: pixels_test.py SPECTIDE PIXELS_DUMP DATA_DIR CASE

CASE: png | jpeg | tiff | webp | rapsd | damaged | color

Every fixture is written in a temporary folder by PIL, by ImageMagick
(`convert`) or by the small writers below, from crops of the photos in
data/ at odd sizes. For each, the analysis planes of spectide's loader
(tests/cli/pixels_dump.c, the code `spectide rapsd` runs) must equal,
bit for bit, the planes computed here with numpy from the reference array:

- PIL's array, read as PIL documents it and as torchvision's loader does:
  modes L, I;16 / I, F and RGB(A/X) as they are, 1 as L (0/255), P, PA and
  CMYK through Image.convert("RGB"); 16-bit samples divided by 65535;
- where PIL does not read a file faithfully (16-bit RGB, RGBA and gray +
  alpha, which PIL reduces to 8 bits; float RGB TIFF, which PIL cannot open),
  the array the fixture was written from by an independent writer (the PNG
  and TIFF writers below, or ImageMagick from raw samples).

The mapping is the documented one: x = (2c - m) / m for code c of maximum m
(m = 2^bits - 1) in float64, then float32; luma 0.2126 R + 0.7152 G +
0.0722 B of v = c / m; float samples x = 2v - 1; NaN and infinities 0.
The case prints the largest difference per fixture (0 = bit-exact).
"""
import os
import struct
import subprocess
import sys
import tempfile
import zlib

import numpy as np
from PIL import Image, PngImagePlugin

SPECTIDE, DUMP, DATA, CASE = sys.argv[1:5]
CHANNELS = ["green", "luma", "red", "blue"]


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print("ok:", message)


# ---------------------------------------------------------------- sources

def photo(name, width, height, x0=0, y0=0):
    """A crop of a data/ photo as uint8 RGB (h, w, 3) or gray (h, w)."""
    image = Image.open(os.path.join(DATA, name))
    return np.asarray(image.crop((x0, y0, x0 + width, y0 + height)))


def to16(rgb8, seed):
    """8-bit photo to 16 bits with low bytes that matter (seeded)."""
    rng = np.random.default_rng(seed)
    return (rgb8.astype(np.uint32) * 257 + rng.integers(-128, 128, rgb8.shape)).clip(0, 65535).astype(np.uint16)


# ----------------------------------------------------------------- writers

def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def write_png(path, samples, colour_type, depth, extra=(), palette=None):
    """samples: (h, w, c) integer codes; colour_type 0/2/3/4/6; depths 1..16;
    filter type 0 on every row; `extra` chunks (kind, body) before IDAT."""
    h, w = samples.shape[:2]
    samples = samples.reshape(h, w, -1)
    rows = []
    for y in range(h):
        line = samples[y].reshape(-1).astype(np.uint32)
        if depth == 16:
            data = line.astype(">u2").tobytes()
        elif depth == 8:
            data = line.astype(np.uint8).tobytes()
        else:
            per = 8 // depth
            padded = np.zeros(-(-line.size // per) * per, dtype=np.uint32)
            padded[:line.size] = line
            packed = np.zeros(padded.size // per, dtype=np.uint32)
            for k in range(per):
                packed |= padded[k::per] << (8 - depth * (k + 1))
            data = packed.astype(np.uint8).tobytes()
        rows.append(b"\x00" + data)
    png = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, colour_type, 0, 0, 0))
    for kind, body in extra:
        png += png_chunk(kind, body)
    if palette is not None:
        png += png_chunk(b"PLTE", palette.astype(np.uint8).tobytes())
    png += png_chunk(b"IDAT", zlib.compress(b"".join(rows), 6)) + png_chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def write_tiff(path, samples, sample_format, bits, photometric, directory_first=False):
    """Uncompressed chunky little-endian TIFF of (h, w, c) samples, one strip;
    sample_format 1 uint, 3 IEEE float; the directory after the data, or
    before it."""
    h, w = samples.shape[:2]
    samples = samples.reshape(h, w, -1)
    c = samples.shape[2]
    dtype = {(1, 8): "<u1", (1, 16): "<u2", (3, 32): "<f4"}[(sample_format, bits)]
    data = samples.astype(dtype).tobytes()
    entries = []  # (tag, type, count, value bytes)

    def short(tag, values):
        entries.append((tag, 3, len(values), struct.pack("<%dH" % len(values), *values)))

    def long(tag, value):
        entries.append((tag, 4, 1, struct.pack("<I", value)))

    short(256, [w]) if w < 65536 else long(256, w)
    short(257, [h])
    short(258, [bits] * c)
    short(259, [1])
    short(262, [photometric])
    data_offset = 8
    long(273, data_offset)
    short(277, [c])
    short(278, [h])
    long(279, len(data))
    short(284, [1])
    short(339, [sample_format] * c)
    entries.sort()
    ifd_offset = data_offset + len(data) + (len(data) & 1)
    extra_size = sum(len(v) for _, _, _, v in entries if len(v) > 4)
    if directory_first:
        ifd_offset = 8
        data_offset = 8 + 2 + 12 * len(entries) + 4 + extra_size
        entries = [(t, k, c, struct.pack("<I", data_offset) if t == 273 else v) for t, k, c, v in entries]
    extra_offset = ifd_offset + 2 + 12 * len(entries) + 4
    ifd, extra = b"", b""
    for tag, kind, count, value in entries:
        if len(value) <= 4:
            ifd += struct.pack("<HHI", tag, kind, count) + value.ljust(4, b"\0")
        else:
            ifd += struct.pack("<HHII", tag, kind, count, extra_offset + len(extra))
            extra += value
    directory = struct.pack("<H", len(entries)) + ifd + struct.pack("<I", 0) + extra
    with open(path, "wb") as f:
        if directory_first:
            f.write(b"II*\0" + struct.pack("<I", ifd_offset) + directory + data)
        else:
            f.write(b"II*\0" + struct.pack("<I", ifd_offset) + data + b"\0" * (len(data) & 1) + directory)


def icc_profile(gray=False):
    """A minimal ICC v2 display profile: ROMM (ProPhoto) primaries, gamma 1.8
    (gray: gamma 1.8). Not sRGB: a colour-managing reader would change every
    value."""
    def s15(v):
        return struct.pack(">i", int(round(v * 65536)))

    def xyz(x, y, z):
        return b"XYZ \0\0\0\0" + s15(x) + s15(y) + s15(z)

    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, int(round(1.8 * 256))) + b"\0\0"
    text = b"spectide test gamma 1.8\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(text)) + text + b"\0" * 8 + b"\0\0\0" + b"\0" * 64 + b"\0" * 3
    tags = [(b"desc", desc), (b"cprt", b"text\0\0\0\0public domain\0"), (b"wtpt", xyz(0.9642, 1.0, 0.8249))]
    if gray:
        tags.append((b"kTRC", curve))
    else:
        tags += [(b"rXYZ", xyz(0.7977, 0.2880, 0.0)), (b"gXYZ", xyz(0.1352, 0.7119, 0.0)),
                 (b"bXYZ", xyz(0.0313, 0.0001, 0.8249)), (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        data += b"\0" * (-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = struct.pack(">I", size) + b"\0" * 4 + struct.pack(">I", 0x02100000) + b"mntr"
    header += (b"GRAY" if gray else b"RGB ") + b"XYZ " + struct.pack(">6H", 2026, 12, 1, 0, 0, 0)
    header += b"acsp" + b"\0" * 24 + struct.pack(">I", 0) + s15(0.9642) + s15(1.0) + s15(0.8249)
    header = header.ljust(128, b"\0")
    return header + struct.pack(">I", len(tags)) + table + body


def file_name(label, extension):
    return "".join(c if c.isalnum() else "_" for c in label) + extension


def magick(*args):
    subprocess.run(["convert", *args], check=True, capture_output=True)


# ---------------------------------------------------------------- reference

def reference_from_pil(path):
    """(values, maximum or None for float, gray) as PIL reads the file."""
    with Image.open(path) as image:
        image.load()
        mode = image.mode
        if mode == "1":
            return np.asarray(image.convert("L")), 255, True
        if mode in ("L", "LA"):
            a = np.asarray(image)
            return (a if a.ndim == 2 else a[:, :, 0]), 255, True
        if mode in ("I;16", "I;16B", "I;16L", "I"):
            a = np.asarray(image).astype(np.int64)
            assert a.min() >= 0 and a.max() <= 65535, "PIL mode I outside 16 bits"
            return a, 65535, True
        if mode == "F":
            return np.asarray(image), None, True
        if mode in ("RGB", "RGBA", "RGBX"):
            return np.asarray(image)[:, :, :3], 255, False
        if mode in ("P", "PA", "CMYK"):
            return np.asarray(image.convert("RGB")), 255, False
        raise AssertionError(f"{path}: PIL mode {mode} not handled by the test")


def expected_planes(values, maximum, gray, channel, planes):
    v = values.astype(np.float64)
    if gray:
        v = v if v.ndim == 2 else v[:, :, 0]
        stack = [v]
    elif planes:
        stack = [v[:, :, 0], v[:, :, 1], v[:, :, 2]]
    elif channel == "luma":
        if maximum is None:
            luma = 0.2126 * v[:, :, 0] + 0.7152 * v[:, :, 1] + 0.0722 * v[:, :, 2]
        else:
            luma = 0.2126 * (v[:, :, 0] / maximum) + 0.7152 * (v[:, :, 1] / maximum) + 0.0722 * (v[:, :, 2] / maximum)
        x = 2.0 * luma - 1.0
        x[~np.isfinite(x)] = 0.0
        return [x.astype(np.float32)]
    else:
        stack = [v[:, :, {"red": 0, "green": 1, "blue": 2}[channel]]]
    out = []
    for p in stack:
        x = 2.0 * p - 1.0 if maximum is None else (2.0 * p - maximum) / maximum
        x[~np.isfinite(x)] = 0.0
        out.append(x.astype(np.float32))
    return out


def dump(path, tmp, *options):
    out = os.path.join(tmp, "dump.raw")
    result = subprocess.run([DUMP, *options, path, out], capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise AssertionError(f"pixels_dump {' '.join(options)} {path}: exit {result.returncode}: {result.stderr}")
    raw = open(out, "rb").read()
    w, h, planes, gray = struct.unpack("<4i", raw[:16])
    data = np.frombuffer(raw[16:], dtype=np.float32).reshape(planes, h, w)
    return data, bool(gray), result.stdout.strip()


def compare(path, tmp, reference, label):
    """Every channel and the colour planes against the reference; returns the
    largest absolute difference (0.0 when bit-exact)."""
    values, maximum, gray = reference
    worst = 0.0
    for channel in CHANNELS + ["planes"]:
        options = ["--planes"] if channel == "planes" else ["--channel", channel]
        got, got_gray, fmt = dump(path, tmp, *options)
        expected = expected_planes(values, maximum, gray, channel, channel == "planes")
        if got_gray != gray or got.shape != (len(expected),) + expected[0].shape:
            raise AssertionError(f"{label} ({fmt}), {channel}: shape {got.shape} gray {got_gray}, "
                                 f"expected {(len(expected),) + expected[0].shape} gray {gray}")
        for plane, want in zip(got, expected):
            if not np.array_equal(plane.view(np.uint32), want.view(np.uint32)):
                difference = np.abs(plane.astype(np.float64) - want.astype(np.float64)).max()
                worst = max(worst, difference if difference > 0 else 1e-300)
    return worst, fmt


def run_matrix(fixtures, tmp, title):
    """fixtures: [(label, path, reference, source)]; all must be bit-exact."""
    rows = []
    for label, path, reference, source in fixtures:
        worst, fmt = compare(path, tmp, reference, label)
        rows.append((label, fmt, source, worst))
        check(worst == 0.0, f"{title} {label} [{fmt}] vs {source}: every channel bit-exact")
    print(f"{title}: {len(rows)} fixtures, largest difference {max(r[3] for r in rows):g}")


# ------------------------------------------------------------------ cases

def case_png():
    with tempfile.TemporaryDirectory() as tmp:
        rgb = photo("chelsea.png", 257, 199, 60, 40)
        gray = photo("camera.png", 251, 203, 100, 120)
        def ramp(shape):
            return np.linspace(0, 255, shape[1], dtype=np.uint8)[None, :].repeat(shape[0], 0)

        alpha = ramp(rgb.shape)
        f = []

        def pil(label, image, **options):
            path = os.path.join(tmp, file_name(label, ".png"))
            image.save(path, **options)
            f.append((label, path, reference_from_pil(path), "PIL"))

        def own(label, samples, colour_type, depth, reference, extra=(), palette=None, also_pil=False):
            path = os.path.join(tmp, file_name(label, ".png"))
            write_png(path, samples, colour_type, depth, extra, palette)
            f.append((label, path, reference, "the array written"))
            if also_pil:
                f.append((label + " (PIL)", path, reference_from_pil(path), "PIL"))

        gama = [(b"gAMA", struct.pack(">I", 45455))]
        chrm = [(b"cHRM", struct.pack(">8I", 31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000))]
        srgb = [(b"sRGB", b"\x00")]
        iccp_rgb = [(b"iCCP", b"romm18\0\0" + zlib.compress(icc_profile()))]
        iccp_gray = [(b"iCCP", b"gray18\0\0" + zlib.compress(icc_profile(gray=True)))]

        pil("gray8", Image.fromarray(gray))
        pil("gray8 gAMA", Image.fromarray(gray), pnginfo=pnginfo(gama))
        gray16 = to16(gray, 1)
        own("gray16", gray16, 0, 16, (gray16, 65535, True), also_pil=True)
        own("gray16 gAMA 1/2.2", gray16, 0, 16, (gray16, 65535, True), extra=gama, also_pil=True)
        own("gray16 iCCP", gray16, 0, 16, (gray16, 65535, True), extra=iccp_gray, also_pil=True)
        for depth in (1, 2, 4):
            codes = gray >> (8 - depth)
            scaled = (codes.astype(np.int64) * 255) // ((1 << depth) - 1)
            own(f"gray{depth}", codes, 0, depth, (scaled, 255, True), also_pil=True)
        la = np.dstack([gray, ramp(gray.shape)])
        pil("gray+alpha8", Image.fromarray(la, "LA"))
        la16 = np.dstack([gray16, to16(la[:, :, 1], 2)])
        own("gray+alpha16", la16, 4, 16, (la16, 65535, True))
        pil("rgb8", Image.fromarray(rgb))
        pil("rgb8 gAMA cHRM", Image.fromarray(rgb), pnginfo=pnginfo(gama + chrm))
        pil("rgb8 sRGB", Image.fromarray(rgb), pnginfo=pnginfo(srgb))
        pil("rgb8 iCCP (ROMM, gamma 1.8)", Image.fromarray(rgb), icc_profile=icc_profile())
        pil("rgba8", Image.fromarray(np.dstack([rgb, alpha])))
        rgb16 = to16(rgb, 3)
        own("rgb16", rgb16, 2, 16, (rgb16, 65535, False))
        own("rgb16 gAMA cHRM iCCP", rgb16, 2, 16, (rgb16, 65535, False), extra=gama + chrm + iccp_rgb)
        rgba16 = np.dstack([rgb16, to16(alpha, 4)])
        own("rgba16", rgba16, 6, 16, (rgba16, 65535, False))
        raw16 = os.path.join(tmp, "rgb16.raw")
        rgb16.astype(">u2").tofile(raw16)
        path = os.path.join(tmp, "rgb16-magick.png")
        magick("-size", f"{rgb.shape[1]}x{rgb.shape[0]}", "-depth", "16", "-endian", "MSB", f"rgb:{raw16}",
               "-define", "png:bit-depth=16", f"PNG48:{path}")
        f.append(("rgb16 (ImageMagick)", path, (rgb16, 65535, False), "the raw samples ImageMagick wrote"))
        path = os.path.join(tmp, "rgb8-interlaced.png")
        magick(os.path.join(tmp, "rgb8.png"), "-interlace", "PNG", f"PNG24:{path}")
        f.append(("rgb8 Adam7 interlaced", path, reference_from_pil(path), "PIL"))
        path = os.path.join(tmp, "rgb16-interlaced.png")
        magick("-size", f"{rgb.shape[1]}x{rgb.shape[0]}", "-depth", "16", "-endian", "MSB", f"rgb:{raw16}",
               "-interlace", "PNG", f"PNG48:{path}")
        f.append(("rgb16 Adam7 interlaced", path, (rgb16, 65535, False), "the raw samples ImageMagick wrote"))
        quantized = Image.fromarray(rgb).quantize(colors=200)
        pil("palette8", quantized)
        pil("palette8 tRNS", quantized, transparency=5)
        pil("palette4", Image.fromarray(rgb).quantize(colors=16), bits=4)
        run_matrix(f, tmp, "PNG")


def png_with_rows(rows_bytes, header, extra_chunks=(), tail=(b"IEND", b"")):
    """A PNG from IHDR fields and raw filtered row bytes (compressed here)."""
    png = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", *header))
    for kind, body in extra_chunks:
        png += png_chunk(kind, body)
    png += png_chunk(b"IDAT", zlib.compress(rows_bytes))
    if tail:
        png += png_chunk(*tail)
    return png


def case_damaged():
    """Damaged and odd files: each refused with a reason (exit 1, no crash),
    or, where PIL reads them, read as PIL does."""
    with tempfile.TemporaryDirectory() as tmp:
        gray = photo("camera.png", 37, 23, 200, 200)
        raw = b"".join(b"\x00" + gray[y].tobytes() for y in range(gray.shape[0]))
        header = (37, 23, 8, 0, 0, 0, 0)
        good = png_with_rows(raw, header)
        ihdr_end = 8 + 25
        idat_at = good.index(b"IDAT") - 4
        cases = {
            "PNG cut in IHDR": good[:20],
            "PNG cut in IDAT": good[:idat_at + 30],
            "PNG cut before IEND": good[:-12],
            "PNG with a bad IHDR CRC": good[:ihdr_end - 1] + bytes([good[ihdr_end - 1] ^ 1]) + good[ihdr_end:],
            "PNG with a bad IDAT CRC": good[:-13] + bytes([good[-13] ^ 1]) + good[-12:],
            "PNG with filter type 7": png_with_rows(b"\x07" + raw[1:], header),
            "PNG with too few rows": png_with_rows(raw[: len(raw) // 2], header),
            "PNG with zlib garbage": b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", *header))
                                     + png_chunk(b"IDAT", b"\x78\x9c" + bytes(range(7, 250))) + png_chunk(b"IEND", b""),
            "PNG with an unknown critical chunk": png_with_rows(raw, header, [(b"ABCD", b"x")]),
            "PNG without IHDR first": b"\x89PNG\r\n\x1a\n" + png_chunk(b"gAMA", struct.pack(">I", 45455)) + good[8:],
            "PNG palette without PLTE": png_with_rows(raw, (37, 23, 8, 3, 0, 0, 0)),
            "PNG with an invalid depth": png_with_rows(raw, (37, 23, 3, 0, 0, 0, 0)),
            "PNG of 0 pixels": png_with_rows(b"", (0, 23, 8, 0, 0, 0, 0)),
            "PNG without IDAT": good[:idat_at] + png_chunk(b"IEND", b""),
        }
        jpeg = os.path.join(tmp, "good.jpg")
        Image.fromarray(photo("coffee.png", 200, 120)).save(jpeg, quality=90)
        jpeg_bytes = open(jpeg, "rb").read()
        cases["JPEG cut in half"] = jpeg_bytes[: len(jpeg_bytes) // 2]
        cases["JPEG header only"] = jpeg_bytes[: jpeg_bytes.index(b"\xff\xda")]
        tiff = os.path.join(tmp, "good.tif")
        Image.fromarray(photo("coffee.png", 200, 120)).save(tiff, compression="tiff_lzw")
        tiff_bytes = open(tiff, "rb").read()
        cases["TIFF cut in its strips"] = tiff_bytes[: len(tiff_bytes) // 3]
        cases["TIFF header only"] = tiff_bytes[:8]
        path = os.path.join(tmp, "first.tif")
        rgb16 = to16(photo("coffee.png", 64, 48), 9)
        write_tiff(path, rgb16, 1, 16, 2, directory_first=True)
        whole = open(path, "rb").read()
        cases["TIFF cut in its strip (directory first)"] = whole[: len(whole) - 1000]
        webp = os.path.join(tmp, "good.webp")
        Image.fromarray(photo("coffee.png", 200, 120)).save(webp, quality=80)
        webp_bytes = open(webp, "rb").read()
        cases["WebP cut in half"] = webp_bytes[: len(webp_bytes) // 2]
        for label, data in cases.items():
            path = os.path.join(tmp, file_name(label, ".img"))
            open(path, "wb").write(data)
            result = subprocess.run([DUMP, path, os.path.join(tmp, "out.raw")], capture_output=True, text=True,
                                    timeout=60)
            check(result.returncode == 1 and "pixels_dump: " in result.stderr,
                  f"{label}: refused with a reason ({result.stderr.strip().split(': ', 2)[-1]})")

        # Read as PIL reads them: data past the last row, a damaged ancillary
        # chunk, palette indices past the end of PLTE (PIL's palette is a
        # gray ramp under the file's entries).
        accepted = []
        path = os.path.join(tmp, "extra.png")
        open(path, "wb").write(png_with_rows(raw + b"\x00" * 100, header))
        accepted.append(("PNG with data past the last row", path, (gray, 255, True), "the array written"))
        bad_text = png_chunk(b"tEXt", b"Comment\0hello")
        bad_text = bad_text[:-1] + bytes([bad_text[-1] ^ 1])
        path = os.path.join(tmp, "badtext.png")
        open(path, "wb").write(good[:ihdr_end] + bad_text + good[ihdr_end:])
        accepted.append(("PNG with a bad tEXt CRC", path, (gray, 255, True), "the array written"))
        indices = (gray // 32).astype(np.uint8)  # 0..7
        palette = np.array([[255, 0, 0], [0, 255, 0], [0, 0, 255], [9, 99, 199]], dtype=np.uint8)
        path = os.path.join(tmp, "shortplte.png")
        write_png(path, indices, 3, 8, palette=palette.reshape(-1))
        accepted.append(("PNG palette indices past PLTE", path, reference_from_pil(path), "PIL"))
        ramp = np.vstack([palette, np.repeat(np.arange(4, 8, dtype=np.uint8)[:, None], 3, 1)])
        accepted.append(("PNG palette indices past PLTE", path, (ramp[indices], 255, False), "PIL's ramp"))
        path = os.path.join(tmp, "first-whole.tif")
        open(path, "wb").write(whole)
        accepted.append(("TIFF with its directory first", path, (rgb16, 65535, False), "the array written"))
        path = os.path.join(tmp, "one.png")
        write_png(path, np.array([[77]], dtype=np.uint8), 0, 8)
        accepted.append(("PNG of 1x1 pixel", path, reference_from_pil(path), "PIL"))
        run_matrix(accepted, tmp, "odd files")


def pnginfo(chunks):
    info = PngImagePlugin.PngInfo()
    for kind, body in chunks:
        info.add(kind, body)
    return info


def case_jpeg():
    with tempfile.TemporaryDirectory() as tmp:
        rgb = photo("coffee.png", 333, 251, 101, 57)
        gray = photo("camera.png", 301, 229, 33, 44)
        f = []

        def pil(label, image, **options):
            path = os.path.join(tmp, file_name(label, ".jpg"))
            image.save(path, **options)
            f.append((label, path, reference_from_pil(path), "PIL"))

        image = Image.fromarray(rgb)
        pil("baseline 4:2:0 q90", image, quality=90)
        pil("progressive 4:2:0", image, quality=85, progressive=True)
        pil("baseline 4:2:2", image, quality=90, subsampling=1)
        pil("baseline 4:4:4", image, quality=95, subsampling=0)
        pil("progressive 4:4:4 optimized", image, quality=80, subsampling=0, progressive=True, optimize=True)
        pil("gray", Image.fromarray(gray), quality=90)
        pil("gray progressive", Image.fromarray(gray), quality=75, progressive=True)
        pil("CMYK (PIL, Adobe)", image.convert("CMYK"), quality=90)
        exif = Image.Exif()
        exif[0x0112] = 6  # orientation: rotate 90 (PIL does not apply it, nor does spectide)
        pil("EXIF orientation 6", image, quality=90, exif=exif.tobytes())
        source = os.path.join(tmp, "source.png")
        image.save(source)
        for label, args in [("CMYK (ImageMagick)", ["-colorspace", "CMYK"]),
                            ("4:2:0 restart markers (ImageMagick)", ["-define", "jpeg:restart-interval=2"]),
                            ("4:1:1 (ImageMagick)", ["-sampling-factor", "4x1"]),
                            ("4:4:0 (ImageMagick)", ["-sampling-factor", "1x2"]),
                            ("arithmetic (ImageMagick)", ["-define", "jpeg:arithmetic-coding=true"])]:
            path = os.path.join(tmp, label.split()[0].replace(":", "") + str(len(f)) + ".jpg")
            magick(source, *args, "-quality", "88", path)
            f.append((label, path, reference_from_pil(path), "PIL"))
        run_matrix(f, tmp, "JPEG")


def case_tiff():
    with tempfile.TemporaryDirectory() as tmp:
        rgb = photo("astronaut.png", 241, 187, 150, 90)
        gray = photo("camera.png", 233, 177, 50, 60)
        f = []

        def pil(label, image, **options):
            path = os.path.join(tmp, file_name(label, ".tif"))
            image.save(path, **options)
            f.append((label, path, reference_from_pil(path), "PIL"))

        def magick_from(label, source, *args):
            path = os.path.join(tmp, file_name(label, ".tif"))
            magick(source, *args, path)
            f.append((label, path, reference_from_pil(path), "PIL"))

        pil("gray8", Image.fromarray(gray))
        pil("gray8 LZW", Image.fromarray(gray), compression="tiff_lzw")
        pil("gray1 (PIL mode 1)", Image.fromarray(gray).convert("1"))
        gray16 = to16(gray, 5)
        pil("gray16", Image.fromarray(gray16))
        pil("gray16 deflate", Image.fromarray(gray16), compression="tiff_adobe_deflate")
        rng = np.random.default_rng(6)
        floats = (gray / 255.0 * 1.4 - 0.2 + rng.normal(0, 1e-3, gray.shape)).astype(np.float32)
        floats[3, 5], floats[7, 11] = np.nan, np.inf
        pil("float32 gray", Image.fromarray(floats, "F"))
        pil("rgb8", Image.fromarray(rgb))
        pil("rgb8 LZW predictor", Image.fromarray(rgb), compression="tiff_lzw")
        pil("rgba8", Image.fromarray(np.dstack([rgb, rgb[:, :, 0]])))
        pil("palette8", Image.fromarray(rgb).quantize(colors=100))
        pil("CMYK8", Image.fromarray(rgb).convert("CMYK"))
        gray_png = os.path.join(tmp, "gray.png")
        rgb_png = os.path.join(tmp, "rgb.png")
        Image.fromarray(gray).save(gray_png)
        Image.fromarray(rgb).save(rgb_png)
        magick_from("rgb8 tiled 64x64 (ImageMagick)", rgb_png, "-define", "tiff:tile-geometry=64x64", "-compress", "zip")
        magick_from("rgb8 planar (ImageMagick)", rgb_png, "-interlace", "plane", "-compress", "lzw")
        magick_from("gray8 MinIsWhite (ImageMagick)", gray_png, "-define", "tiff:photometric=min-is-white")
        magick_from("rgb8 JPEG-compressed YCbCr (ImageMagick)", rgb_png, "-compress", "jpeg", "-quality", "90")
        rgb16 = to16(rgb, 7)
        raw16 = os.path.join(tmp, "rgb16.raw")
        rgb16.astype(">u2").tofile(raw16)
        for label, args in [("rgb16 (ImageMagick)", []),
                            ("rgb16 tiled planar LZW (ImageMagick)",
                             ["-define", "tiff:tile-geometry=32x48", "-interlace", "plane", "-compress", "lzw"])]:
            path = os.path.join(tmp, label.split()[1] + str(len(f)) + ".tif")
            magick("-size", f"{rgb.shape[1]}x{rgb.shape[0]}", "-depth", "16", "-endian", "MSB", f"rgb:{raw16}",
                   *args, path)
            f.append((label, path, (rgb16, 65535, False), "the raw samples ImageMagick wrote"))
        path = os.path.join(tmp, "rgb16-own.tif")
        write_tiff(path, rgb16, 1, 16, 2)
        f.append(("rgb16 (own writer)", path, (rgb16, 65535, False), "the array written"))
        float_rgb = (rgb / 255.0 + rng.normal(0, 1e-3, rgb.shape)).astype(np.float32)
        float_rgb[0, 0, 1] = np.nan
        path = os.path.join(tmp, "rgb-float.tif")
        write_tiff(path, float_rgb, 3, 32, 2)
        f.append(("float32 RGB (own writer; PIL cannot open it)", path, (float_rgb, None, False), "the array written"))
        run_matrix(f, tmp, "TIFF")


def case_webp():
    with tempfile.TemporaryDirectory() as tmp:
        rgb = photo("chelsea.png", 263, 181, 20, 70)
        alpha = np.linspace(0, 255, rgb.shape[1], dtype=np.uint8)[None, :].repeat(rgb.shape[0], 0)
        alpha[:, :10] = 0  # fully transparent columns keep their stored colour (exact=True)
        f = []

        def pil(label, image, **options):
            path = os.path.join(tmp, file_name(label, ".webp"))
            image.save(path, **options)
            f.append((label, path, reference_from_pil(path), "PIL"))

        pil("lossless RGB", Image.fromarray(rgb), lossless=True)
        pil("lossy RGB q80", Image.fromarray(rgb), quality=80)
        pil("lossy RGB q95 method 6", Image.fromarray(rgb), quality=95, method=6)
        pil("lossless RGBA", Image.fromarray(np.dstack([rgb, alpha])), lossless=True, exact=True)
        pil("lossy RGBA", Image.fromarray(np.dstack([rgb, alpha])), quality=80)
        run_matrix(f, tmp, "WebP")


def srgb_encode(linear):
    """IEC 61966-2-1 transfer function (linear light to sRGB values)."""
    linear = np.asarray(linear, dtype=np.float64)
    return np.where(linear <= 0.0031308, 12.92 * linear, 1.055 * np.abs(linear) ** (1 / 2.4) - 0.055)


def xy_to_XYZ(x, y):
    return np.array([x / y, 1.0, (1 - x - y) / y])


def rgb_to_xyz_d50(primaries, white):
    """The RGB -> XYZ matrix of primaries and white (xy), adapted to D50 with
    the Bradford transform, as an ICC matrix/TRC profile holds it."""
    columns = np.column_stack([xy_to_XYZ(*p) for p in primaries])
    scale = np.linalg.solve(columns, xy_to_XYZ(*white))
    matrix = columns * scale
    bradford = np.array([[0.8951, 0.2664, -0.1614], [-0.7502, 1.7135, 0.0367], [0.0389, -0.0685, 1.0296]])
    d50 = np.array([0.9642, 1.0, 0.8249])
    source, target = bradford @ xy_to_XYZ(*white), bradford @ d50
    adapt = np.linalg.inv(bradford) @ np.diag(target / source) @ bradford
    return adapt @ matrix


SRGB_PRIMARIES = [(0.64, 0.33), (0.30, 0.60), (0.15, 0.06)]
D65 = (0.3127, 0.3290)


def case_color():
    """--color-managed: conversion to sRGB computed here from the profiles'
    definitions (ICC matrix/TRC algebra, PNG gAMA/cHRM, IEC 61966-2-1);
    without it, the stored values."""
    with tempfile.TemporaryDirectory() as tmp:
        rgb = photo("coffee.png", 161, 123, 300, 150)
        gray16 = to16(photo("camera.png", 143, 111, 150, 200), 10)
        to_srgb = np.linalg.inv(rgb_to_xyz_d50(SRGB_PRIMARIES, D65))

        def quantized(v):  # s15Fixed16, as the ICC profile stores it
            return np.round(np.asarray(v) * 65536) / 65536

        romm = np.column_stack([quantized(c) for c in ([0.7977, 0.2880, 0.0], [0.1352, 0.7119, 0.0],
                                                       [0.0313, 0.0001, 0.8249])])
        romm_gamma = round(1.8 * 256) / 256  # u8Fixed8 in the curv tag

        def from_profile(codes):
            linear = (codes / 255.0) ** romm_gamma
            return np.einsum("ij,hwj->hwi", to_srgb @ romm, linear)

        cases = []  # label, path, expected linear sRGB (h, w, c) or encoded gray, gray
        path = os.path.join(tmp, "gray16-gama.png")
        write_png(path, gray16, 0, 16, [(b"gAMA", struct.pack(">I", 45455))])
        cases.append(("16-bit gray PNG, gAMA 1/2.2", path, srgb_encode((gray16 / 65535.0) ** (100000 / 45455)), True))
        path = os.path.join(tmp, "rgb-gama-chrm.png")
        chrm = struct.pack(">8I", 31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000)
        write_png(path, rgb, 2, 8, [(b"gAMA", struct.pack(">I", 55556)), (b"cHRM", chrm)])
        linear = (rgb / 255.0) ** (100000 / 55556)  # sRGB primaries: only the curve changes
        cases.append(("RGB PNG, gAMA 1/1.8 + cHRM of sRGB", path, srgb_encode(linear), False))
        for label, extension, options in [("RGB PNG, iCCP ROMM gamma 1.8", ".png", {}),
                                          ("JPEG 4:4:4, ICC ROMM gamma 1.8", ".jpg", dict(quality=95, subsampling=0)),
                                          ("TIFF, ICC ROMM gamma 1.8", ".tif", {}),
                                          ("WebP lossless, ICC ROMM gamma 1.8", ".webp", dict(lossless=True))]:
            path = os.path.join(tmp, "icc" + extension)
            Image.fromarray(rgb).save(path, icc_profile=icc_profile(), **options)
            codes, _, _ = reference_from_pil(path)
            cases.append((label, path, srgb_encode(from_profile(codes.astype(np.float64))), False))
        worst = 0.0
        for label, path, expected, gray in cases:
            for channel in ["green", "luma"] if not gray else ["green"]:
                got, _, _ = dump(path, tmp, "--color-managed", "--channel", channel)
                if gray:
                    want = 2.0 * expected - 1.0
                elif channel == "green":
                    want = 2.0 * expected[:, :, 1] - 1.0
                else:
                    want = 2.0 * (0.2126 * expected[:, :, 0] + 0.7152 * expected[:, :, 1] + 0.0722 * expected[:, :, 2]) - 1.0
                # Out of sRGB's gamut (ROMM is much wider) the values go on
                # along the same curve (floating-point, unbounded).
                difference = np.abs(got[0].astype(np.float64) - want).max()
                worst = max(worst, difference)
                check(difference < 2e-6, f"--color-managed {label}, {channel}: sRGB values as the profiles "
                                         f"define them (largest difference {difference:.1e} in x)")
            stored, _, _ = dump(path, tmp, "--channel", "green")
            plain = not np.allclose(stored[0], got[0], atol=1e-3)
            check(plain, f"{label}: without --color-managed the stored values are read")
        print(f"colour management: largest difference {worst:.1e}")
        label, path, expected, _ = cases[0]
        csv = os.path.join(tmp, "cm.csv")
        result = subprocess.run([SPECTIDE, "rapsd", "--color-managed", "--csv", csv, path], capture_output=True,
                                text=True, timeout=120)
        power = np.loadtxt(csv, delimiter=",", skiprows=1)[:, 1]
        relative = np.max(np.abs(power - rapsd_reference(2.0 * expected - 1.0)) / rapsd_reference(2.0 * expected - 1.0))
        check(result.returncode == 0 and relative < 1e-5,
              f"spectide rapsd --color-managed on the {label}: the RAPSD of the sRGB values ({relative:.1e})")

        for label, chunks in [("sRGB chunk", [(b"sRGB", b"\x00")]), ("no colour chunk", [])]:
            path = os.path.join(tmp, "plain.png")
            write_png(path, rgb, 2, 8, chunks)
            got, _, _ = dump(path, tmp, "--color-managed")
            check(np.array_equal(got[0], expected_planes(rgb, 255, False, "green", False)[0]),
                  f"--color-managed on a PNG with {label}: already sRGB, the stored values bit for bit")
        path = os.path.join(tmp, "bad-icc.png")
        write_png(path, rgb, 2, 8, [(b"iCCP", b"junk\0\0" + zlib.compress(bytes(range(256)) * 2))])
        result = subprocess.run([DUMP, "--color-managed", path, os.path.join(tmp, "o.raw")], capture_output=True, text=True)
        check(result.returncode == 1 and "ICC profile" in result.stderr,
              f"--color-managed with an unusable ICC profile: refused ({result.stderr.strip()})")
        result = subprocess.run([DUMP, path, os.path.join(tmp, "o.raw")], capture_output=True, text=True)
        check(result.returncode == 0, "without --color-managed the unusable profile is not read")


def rapsd_reference(x):
    """pysteps-style RAPSD in float64: |fftshift(fft2)|^2 / (MN), rings round(r)."""
    h, w = x.shape
    power = np.abs(np.fft.fftshift(np.fft.fft2(x))) ** 2 / (w * h)
    yc = np.arange(h) - (h // 2 if h % 2 == 0 else (h - 1) // 2)
    xc = np.arange(w) - (w // 2 if w % 2 == 0 else (w - 1) // 2)
    r = np.round(np.hypot(*np.meshgrid(xc, yc))).astype(int)
    big = max(w, h)
    rings = big // 2 if big % 2 == 0 else (big - 1) // 2 + 1
    return np.bincount(r.ravel(), weights=power.ravel())[:rings] / np.bincount(r.ravel())[:rings]


def case_rapsd():
    """`spectide rapsd --csv` on files with colour chunks and on JPEGs equals
    the float64 RAPSD of PIL's (or the written) array."""
    with tempfile.TemporaryDirectory() as tmp:
        gray16 = to16(photo("camera.png", 320, 240, 90, 130), 8)
        files = []
        path = os.path.join(tmp, "gray16-gama.png")
        write_png(path, gray16, 0, 16, [(b"gAMA", struct.pack(">I", 45455))])
        files.append(("16-bit gray PNG with gAMA 1/2.2 (issue 12, finding 3)", path, (gray16, 65535, True)))
        rgb = photo("coffee.png", 500, 375, 50, 20)
        for label, options in [("JPEG 4:2:0 q90", dict(quality=90)), ("JPEG progressive 4:2:2", dict(quality=85, subsampling=1, progressive=True)),
                               ("JPEG 4:4:4 q95", dict(quality=95, subsampling=0))]:
            path = os.path.join(tmp, label.split()[1].replace(":", "") + ".jpg")
            Image.fromarray(rgb).save(path, **options)
            files.append((label + " (issue 12, finding 4)", path, reference_from_pil(path)))
        path = os.path.join(tmp, "rgb-icc.png")
        Image.fromarray(rgb).save(path, icc_profile=icc_profile())
        files.append(("RGB PNG with an ICC profile (gamma 1.8)", path, reference_from_pil(path)))
        results = []
        for label, path, reference in files:
            csv = os.path.join(tmp, "r.csv")
            result = subprocess.run([SPECTIDE, "rapsd", "--csv", csv, path], capture_output=True, text=True, timeout=120)
            check(result.returncode == 0, f"{label}: spectide rapsd exits 0 ({result.stderr.strip()})")
            power = np.loadtxt(csv, delimiter=",", skiprows=1)[:, 1]
            x = expected_planes(*reference, "green", False)[0].astype(np.float64)
            expected = rapsd_reference(x)
            relative = np.abs(power - expected) / expected
            results.append((label, relative.max(), relative[0]))
            print(f"{label}: largest relative difference per ring {relative.max():.2e} (DC {relative[0]:.2e})")
        for label, worst, _ in results:
            check(worst < 1e-6, f"{label}: RAPSD per ring equals the float64 RAPSD of PIL's pixels to 1e-6 "
                                f"(largest relative difference {worst:.2e})")
        print(f"RAPSD: largest relative difference per ring {max(r[1] for r in results):.2e}")


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}
if __name__ == "__main__":
    CASES[CASE]()
