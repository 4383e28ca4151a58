# Minimal TIFF reader for the uncompressed strip TIFFs GIMP exports (8/16-bit
# integer, 16/32-bit float): enough to measure layers without extra Python
# packages.
import numpy as np, struct, sys
def read_tiff(path):
    """Minimal reader for GIMP's uncompressed strip TIFFs (any sample type)."""
    data = open(path, 'rb').read()
    bo = '<' if data[:2] == b'II' else '>'
    (ifd,) = struct.unpack(bo + 'I', data[4:8])
    (count,) = struct.unpack(bo + 'H', data[ifd:ifd + 2])
    tags = {}
    sizes = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 16: 8}
    codes = {1: 'B', 2: 's', 3: 'H', 4: 'I', 16: 'Q'}
    for i in range(count):
        e = data[ifd + 2 + 12 * i: ifd + 14 + 12 * i]
        tag, typ, n = struct.unpack(bo + 'HHI', e[:8])
        size = sizes.get(typ, 1) * n
        raw = e[8:8 + size] if size <= 4 else data[struct.unpack(bo + 'I', e[8:12])[0]:][:size]
        if typ in codes and typ != 2:
            tags[tag] = list(struct.unpack(bo + codes[typ] * n, raw))
    w, h = tags[256][0], tags[257][0]
    bits = tags[258][0]
    spp = tags.get(277, [1])[0]
    fmt = tags.get(339, [1])[0]
    assert tags.get(259, [1])[0] == 1, 'compressed TIFF'
    buf = b''.join(data[o:o + c] for o, c in zip(tags[273], tags[279]))
    dt = {(3, 32): 'f4', (3, 16): 'f2', (1, 8): 'u1', (1, 16): 'u2', (1, 32): 'u4'}[(fmt, bits)]
    a = np.frombuffer(buf, dtype=bo + dt)[:w * h * spp].reshape(h, w, spp).astype(np.float64)
    if fmt == 1:
        a /= float(2 ** bits - 1)
    return a
def write_tiff(path, pixels):
    """Writes float32 pixels (h, w, channels) as an uncompressed TIFF."""
    h, w, spp = pixels.shape
    data = np.ascontiguousarray(pixels, dtype='<f4').tobytes()
    entries = [(256, 4, 1, w), (257, 4, 1, h), (258, 3, 1, 32), (259, 3, 1, 1),
               (262, 3, 1, 2 if spp >= 3 else 1), (273, 4, 1, 0), (277, 3, 1, spp),
               (278, 4, 1, h), (279, 4, 1, len(data)), (284, 3, 1, 1), (339, 3, 1, 3)]
    if spp in (2, 4):
        entries.append((338, 3, 1, 2))  # unassociated alpha
        entries.sort()
    ifd_size = 2 + 12 * len(entries) + 4
    bps_offset = 8 + ifd_size  # BitsPerSample needs spp values when spp > 2
    data_offset = bps_offset + 2 * spp
    out = bytearray(b'II*\x00' + struct.pack('<I', 8) + struct.pack('<H', len(entries)))
    for tag, typ, count, value in entries:
        if tag == 258:
            count, value = spp, (value if spp <= 2 else bps_offset)
            if spp == 2:
                out += struct.pack('<HHIHH', tag, typ, count, 32, 32)
                continue
        if tag == 339:
            count = spp
            if spp > 2:
                out += struct.pack('<HHII', tag, typ, count, data_offset + len(data))
                continue
            if spp == 2:
                out += struct.pack('<HHIHH', tag, typ, count, 3, 3)
                continue
        if tag == 273:
            value = data_offset
        if typ == 3 and count == 1:
            out += struct.pack('<HHIHH', tag, typ, count, value, 0)
        else:
            out += struct.pack('<HHII', tag, typ, count, value)
    out += struct.pack('<I', 0)
    out += struct.pack('<' + 'H' * spp, *([32] * spp))
    out += data
    out += struct.pack('<' + 'H' * spp, *([3] * spp))
    with open(path, 'wb') as f:
        f.write(out)


if __name__ == '__main__':
    a = read_tiff(sys.argv[1]); print(a.shape, a.min(), a.max(), a[0,0])
