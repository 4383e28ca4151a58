#!/usr/bin/env python3
"""Makes the image benchmark's inputs from the photos in data/ (PIL only).

usage: make_images.py DATA_DIR OUT_DIR [COUNT]

- OUT_DIR/folder/NNNN.jpg: COUNT (default 448) Imagenette-size JPEGs, every one
  a different crop of a photo upscaled 2x, resized to ImageNet's common sizes
  (half 500x375, 15% 375x500, 15% 500x333) or, one in five, to any size with
  sides in 240..512 px (many with large prime factors, the slow case of an
  FFT), saved as PIL saves a JPEG by default (4:2:0, baseline) at quality 90
  (ImageNet's photos are mostly q 90-96).
- OUT_DIR/big.png: one 4096x4096 RGB PNG (a photo upscaled 8x plus a little
  seeded noise, so that it is not unnaturally smooth), zlib level 6.
"""
import os
import sys

import numpy as np
from PIL import Image

data, out = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 448
photos = ["astronaut.png", "chelsea.png", "coffee.png", "camera.png"]
rng = np.random.default_rng(13)
folder = os.path.join(out, "folder")
os.makedirs(folder, exist_ok=True)

sources = []
for name in photos:
    image = Image.open(os.path.join(data, name)).convert("RGB")
    sources.append(image.resize((image.width * 2, image.height * 2), Image.LANCZOS))

for i in range(count):
    source = sources[i % len(sources)]
    pick = rng.uniform()
    if pick < 0.5:
        width, height = 500, 375
    elif pick < 0.65:
        width, height = 375, 500
    elif pick < 0.8:
        width, height = 500, 333
    else:
        width, height = (int(v) for v in rng.integers(240, 513, size=2))
    # A crop of 1x-1.6x the final size, resized down: each file is a new image.
    scale = rng.uniform(1.0, 1.6)
    crop_w = min(source.width, int(width * scale))
    crop_h = min(source.height, int(height * scale))
    x0 = int(rng.integers(0, source.width - crop_w + 1))
    y0 = int(rng.integers(0, source.height - crop_h + 1))
    crop = source.crop((x0, y0, x0 + crop_w, y0 + crop_h)).resize((width, height), Image.BILINEAR)
    crop.save(os.path.join(folder, f"{i:04d}.jpg"), quality=90)

big = sources[0].resize((4096, 4096), Image.BICUBIC)
noise = rng.normal(0.0, 2.0, size=(4096, 4096, 3))
pixels = np.clip(np.asarray(big, dtype=np.float64) + noise, 0, 255).round().astype(np.uint8)
Image.fromarray(pixels, "RGB").save(os.path.join(out, "big.png"), compress_level=6)
