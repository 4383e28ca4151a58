"""Minimal WAV reader (PCM 16/24/32, IEEE float 32) and float32 writer, numpy only."""
import struct

import numpy as np


def read_wav(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError(f"{path}: not a RIFF/WAVE file")
    pos, fmt, samples = 12, None, None
    while pos + 8 <= len(data):
        chunk, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        body = data[pos + 8:pos + 8 + size]
        if chunk == b"fmt ":
            tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", body[:16])
            if tag == 0xFFFE:
                tag = struct.unpack("<H", body[24:26])[0]
            fmt = (tag, channels, rate, bits)
        elif chunk == b"data":
            samples = body
        pos += 8 + size + (size & 1)
    if fmt is None or samples is None:
        raise ValueError(f"{path}: no fmt or data chunk")
    tag, channels, rate, bits = fmt
    if tag == 3 and bits == 32:
        x = np.frombuffer(samples, "<f4")
    elif tag == 1 and bits == 16:
        x = np.frombuffer(samples, "<i2") / 32768.0
    elif tag == 1 and bits == 32:
        x = np.frombuffer(samples, "<i4") / 2147483648.0
    elif tag == 1 and bits == 24:
        b = np.frombuffer(samples, np.uint8).reshape(-1, 3).astype(np.int32)
        x = ((b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)) << 8 >> 8) / 8388608.0
    else:
        raise ValueError(f"{path}: unsupported WAV format {tag}/{bits} bits")
    x = x[: len(x) // channels * channels].reshape(-1, channels)
    return (x[:, 0] if channels == 1 else x), rate


def write_float_wav(path, samples, rate):
    x = np.asarray(samples, dtype="<f4")
    channels = 1 if x.ndim == 1 else x.shape[1]
    payload = x.tobytes()
    header = b"RIFF" + struct.pack("<I", 4 + 26 + 8 + len(payload)) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHHH", 18, 3, channels, rate, rate * 4 * channels,
                                    4 * channels, 32, 0)
    with open(path, "wb") as f:
        f.write(header + b"data" + struct.pack("<I", len(payload)) + payload)
