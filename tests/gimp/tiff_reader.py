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
if __name__ == '__main__':
    a = read_tiff(sys.argv[1]); print(a.shape, a.min(), a.max(), a[0,0])
