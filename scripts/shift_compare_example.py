#!/usr/bin/python3
"""The worked example of `spectide shift` and `spectide compare` in the README,
on the bundled photos (data/*.png).

usage: scripts/shift_compare_example.py SPECTIDE OUT_DIR [--docs DOCS_DIR]

Makes, with PIL (python3-pil):
  OUT/photos/orig      the four photos
  OUT/photos/half      each cropped to even sides and box-averaged 2x2 (PIL reduce(2))
  OUT/photos/quarter   the same 4x4
  OUT/photos/q10, q50  each saved as JPEG quality 10 / 50 (PIL defaults otherwise)
  OUT/tiles/png/NAME/  64 x 64 tiles of each photo (210 in all), and the same
  OUT/tiles/q10/NAME/  tiles of its JPEG quality 10 / 50 re-encoding (the whole
  OUT/tiles/q50/NAME/  photo encoded, decoded by PIL, then cut; tiles stored as PNG)
then runs spectide shift (half -> orig, quarter -> orig) and spectide compare
(tiles png against q10 and q50, whole photos against their JPEGs) and prints
their output; with --docs the plots are written there as shift-photos-2x.png,
shift-photos-4x.png, compare-jpeg10.png and compare-jpeg50.png.
"""
import io
import os
import subprocess
import sys

from PIL import Image

TILE = 64


def main():
    if len(sys.argv) not in (3, 5) or (len(sys.argv) == 5 and sys.argv[3] != "--docs"):
        sys.exit(__doc__)
    spectide, out = sys.argv[1], sys.argv[2]
    docs = sys.argv[4] if len(sys.argv) == 5 else None
    data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
    names = sorted(n for n in os.listdir(data) if n.endswith(".png"))
    folders = {k: os.path.join(out, "photos", k) for k in ("orig", "half", "quarter", "q10", "q50")}
    for folder in folders.values():
        os.makedirs(folder, exist_ok=True)
    for name in names:
        image = Image.open(os.path.join(data, name))
        image.save(os.path.join(folders["orig"], name))
        for factor, key in ((2, "half"), (4, "quarter")):
            w, h = image.size
            image.crop((0, 0, w // factor * factor, h // factor * factor)).reduce(factor).save(
                os.path.join(folders[key], name))
        rgb = image.convert("RGB")
        versions = {"png": rgb}
        for quality in (10, 50):
            rgb.save(os.path.join(folders[f"q{quality}"], name[:-4] + ".jpg"), quality=quality)
            encoded = io.BytesIO()
            rgb.save(encoded, "JPEG", quality=quality)
            encoded.seek(0)
            versions[f"q{quality}"] = Image.open(encoded).convert("RGB")
        for key, version in versions.items():
            folder = os.path.join(out, "tiles", key, name[:-4])
            os.makedirs(folder, exist_ok=True)
            w, h = version.size
            for y in range(0, h - TILE + 1, TILE):
                for x in range(0, w - TILE + 1, TILE):
                    version.crop((x, y, x + TILE, y + TILE)).save(
                        os.path.join(folder, f"{y:03d}_{x:03d}.png"))

    def run(*args, plot=None):
        command = [spectide, *args[:1]]
        if plot and docs:
            command += ["--plot", os.path.join(docs, plot)]
        command += list(args[1:])
        print("$ spectide " + " ".join(os.path.relpath(a, out) if a.startswith(out) else a
                                       for a in command[1:]), flush=True)
        subprocess.run(command, check=True)
        print(flush=True)

    run("shift", folders["half"], folders["orig"], plot="shift-photos-2x.png")
    run("shift", "--weight", "logit-normal", folders["half"], folders["orig"])
    run("shift", folders["quarter"], folders["orig"], plot="shift-photos-4x.png")
    run("shift", "--weight", "logit-normal", folders["quarter"], folders["orig"])
    tiles = os.path.join(out, "tiles")
    run("compare", "--group-by", "parent", os.path.join(tiles, "png"), os.path.join(tiles, "q10"),
        plot="compare-jpeg10.png")
    run("compare", os.path.join(tiles, "png"), os.path.join(tiles, "q50"), plot="compare-jpeg50.png")
    run("compare", folders["orig"], folders["q10"])
    run("compare", folders["orig"], folders["q50"])


if __name__ == "__main__":
    main()
