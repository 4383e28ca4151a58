#!/usr/bin/env python3
"""Pixel checks of screenshots of the spectide LV2 UI (tests/lv2_ui).

Reads PNGs through ImageMagick's `convert` (no Python imaging library is
needed) and knows the UI's layout rules (lv2_plugin/ui.c, scale 1):
two tool rows (60 px), then the spectrum view across the full width over
the mel spectrogram (left 55 %) and the cepstral view (right). Every view
starts with an 18 px title strip in the header colour.

  shot.py main A.png B.png       ready (A) and moved (A, B)
  shot.py ready A.png            curve, water line, views not blank
  shot.py moved A.png B.png      the spectrogram moved between A and B
  shot.py water A.png            prints the row of the water line (red) in the spectrum view
  shot.py layout A.png W H       the three views are laid out for a W x H window
  shot.py enlarged A.png         the spectrum view alone after a click on its title
  shot.py slider NAME W VALUE    where to click on slider NAME (t, sigma, tau) for VALUE
"""
import subprocess
import sys

SIGNAL = (0x1F, 0x77, 0xB4)
NOISE = (0xD6, 0x27, 0x28)
LOWPASS = (0x2C, 0xA0, 0x2C)
HEADER = (217, 222, 230)  # 0.85, 0.87, 0.90
TOOLBAR, PAD, HEADER_H = 60, 4, 18


def load(path):
    data = subprocess.run(["convert", path, "-depth", "8", "ppm:-"], check=True,
                          stdout=subprocess.PIPE).stdout
    # P6 header: magic, width, height, maxval, each separated by whitespace.
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        start = pos
        while not data[pos:pos + 1].isspace():
            pos += 1
        fields.append(data[start:pos])
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[pos + 1:]


class Image:
    def __init__(self, path):
        self.width, self.height, self.pixels = load(path)

    def at(self, x, y):
        i = 3 * (y * self.width + x)
        return tuple(self.pixels[i:i + 3])


def near(rgb, ref, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(rgb, ref))


def views(width, height):
    """The three view rectangles (x0, y0, x1, y1) of ui.c's layout, body below the title strip."""
    area_w = width - 2 * PAD
    area_h = height - TOOLBAR - PAD
    upper = area_h * 54 // 100
    left = area_w * 55 // 100
    lower_y = TOOLBAR + upper + PAD
    return {
        "spectrum": (PAD, TOOLBAR, PAD + area_w, TOOLBAR + upper),
        "mel": (PAD, lower_y, PAD + left, height - PAD),
        "cepstral": (2 * PAD + left, lower_y, PAD + area_w, height - PAD),
    }


def body(rect):
    x0, y0, x1, y1 = rect
    return x0, y0 + HEADER_H, x1, y1


def count(image, rect, colour, tolerance=40):
    x0, y0, x1, y1 = body(rect)
    hits, columns = 0, set()
    for y in range(y0, y1):
        for x in range(x0, x1):
            if near(image.at(x, y), colour, tolerance):
                hits += 1
                columns.add(x)
    return hits, len(columns)


def distinct_colours(image, rect):
    x0, y0, x1, y1 = body(rect)
    return len({image.at(x, y) for y in range(y0, y1, 2) for x in range(x0, x1, 2)})


def reddish(rgb):
    """The water line's red, also where anti-aliasing blends it with the background."""
    r, g, b = rgb
    return r > g + 50 and r > b + 50


def water_row(image, rect):
    """The row of the spectrum view with the most water-line red (a horizontal
    line), and how many columns are red within a row of it."""
    x0, y0, x1, y1 = body(rect)
    rows = [sum(1 for x in range(x0, x1) if reddish(image.at(x, y))) for y in range(y0, y1)]
    best = max(range(len(rows)), key=lambda i: rows[i]) + y0
    columns = sum(1 for x in range(x0, x1)
                  if any(reddish(image.at(x, y)) for y in range(max(y0, best - 1), min(y1, best + 2))))
    return best, columns, x1 - x0


def check(condition, message, failures):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def ready_check(path):
    a = Image(path)
    failures = []
    v = views(a.width, a.height)
    hits, columns = count(a, v["spectrum"], SIGNAL)
    width = v["spectrum"][2] - v["spectrum"][0]
    check(hits > 300 and columns > width // 3,
          f"spectrum curve in signal blue: {hits} px over {columns} of {width} columns", failures)
    row, n, span = water_row(a, v["spectrum"])
    check(n > span // 2, f"water line in red: row {row}, {n} of {span} px", failures)
    # Music is louder than the -40 dBFS tide in the bass: part of the curve is above water.
    x0, y0, x1, _ = body(v["spectrum"])
    above = sum(1 for y in range(y0, row - 2) for x in range(x0, x1) if near(a.at(x, y), SIGNAL))
    check(above > 50, f"spectrum above the water line: {above} px", failures)
    for name in ("spectrum", "mel", "cepstral"):
        colours = distinct_colours(a, v[name])
        check(colours > 40, f"{name} view not blank: {colours} colours", failures)
    hits, _ = count(a, v["cepstral"], SIGNAL)
    check(hits > 50, f"cepstral RAPSD curve in signal blue: {hits} px", failures)
    hits, _ = count(a, v["cepstral"], LOWPASS)
    check(hits > 20, f"MFCC curve in green: {hits} px", failures)
    return 1 if failures else 0


def moved_check(path_a, path_b):
    a, b = Image(path_a), Image(path_b)
    failures = []
    check(a.width == b.width and a.height == b.height, f"both shots {a.width}x{a.height}", failures)
    if failures:
        return 1
    x0, y0, x1, y1 = body(views(a.width, a.height)["mel"])
    changed = total = 0
    for y in range(y0, y1, 2):
        for x in range(x0, x1, 2):
            total += 1
            if sum(abs(p - q) for p, q in zip(a.at(x, y), b.at(x, y))) > 30:
                changed += 1
    check(changed > total // 20, f"spectrogram moved between the shots: {changed} of {total} "
          "sampled px changed", failures)
    return 1 if failures else 0


def main_check(path_a, path_b):
    return ready_check(path_a) | moved_check(path_a, path_b)


def layout_check(path, width, height):
    image = Image(path)
    failures = []
    check(image.width == width and image.height == height,
          f"UI window is {image.width}x{image.height} (expected {width}x{height})", failures)
    if failures:
        return 1
    v = views(width, height)
    for name, (x0, y0, x1, _) in v.items():
        y = y0 + HEADER_H // 2
        ok = near(image.at(x0 + 2, y), HEADER, 6) and near(image.at(x1 - 3, y), HEADER, 6)
        check(ok, f"{name} title strip spans x {x0}..{x1} at y {y}", failures)
    # Between the spectrogram and the cepstral view: the background gap of ui.c.
    gap_x = v["mel"][2] + PAD // 2
    y = v["mel"][1] + HEADER_H // 2
    check(not near(image.at(gap_x, y), HEADER, 6), f"gap between the lower views at x {gap_x}",
          failures)
    for name in v:
        colours = distinct_colours(image, v[name])
        check(colours > 20, f"{name} view drawn: {colours} colours", failures)
    return 1 if failures else 0


def enlarged_check(path):
    """After a click on the spectrum's title: one view over the whole area."""
    image = Image(path)
    failures = []
    v = views(image.width, image.height)
    x0, y0, x1, _ = v["spectrum"]
    check(near(image.at(x0 + 2, y0 + HEADER_H // 2), HEADER, 6), "spectrum title strip on top",
          failures)
    mel_header_y = v["mel"][1] + HEADER_H // 2
    check(not near(image.at(x0 + 2, mel_header_y), HEADER, 6) and
          not near(image.at(x1 - 3, mel_header_y), HEADER, 6),
          f"no title strips of the lower views at y {mel_header_y}", failures)
    full = (x0, y0, x1, image.height - PAD)
    hits, columns = count(image, full, SIGNAL)
    lower = sum(1 for y in range(v["mel"][1], image.height - PAD, 2)
                for x in range(x0, x1, 2) if near(image.at(x, y), SIGNAL))
    check(hits > 300 and lower > 20,
          f"spectrum curve over the whole height: {hits} px, {lower} sampled below the old split",
          failures)
    return 1 if failures else 0


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "main":
        sys.exit(main_check(sys.argv[2], sys.argv[3]))
    if command == "ready":
        sys.exit(ready_check(sys.argv[2]))
    if command == "moved":
        sys.exit(moved_check(sys.argv[2], sys.argv[3]))
    if command == "water":
        image = Image(sys.argv[2])
        print(water_row(image, views(image.width, image.height)["spectrum"])[0])
        sys.exit(0)
    if command == "enlarged":
        sys.exit(enlarged_check(sys.argv[2]))
    if command == "layout":
        sys.exit(layout_check(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
    if command == "slider":
        # Where to click on a slider of the first tool row to set `value`
        # (ui.c: row weights, track from 45 % of the widget to 6 px before its end).
        weights = [1.25, 1.7, 1.3, 2.0, 1.4, 1.5, 1.1, 0.8]
        ranges = {"t": (2, 0.0, 1.0), "sigma": (3, -120.0, 20.0), "tau": (4, -20.0, 40.0)}
        index, low, high = ranges[sys.argv[2]]
        width, value = int(sys.argv[3]), float(sys.argv[4])
        unit = (width - PAD * (len(weights) + 1)) / sum(weights)
        x = PAD + sum(weights[:index]) * unit + index * PAD
        track0, track1 = x + 0.45 * weights[index] * unit, x + weights[index] * unit - 6
        print(round(track0 + (value - low) / (high - low) * (track1 - track0)), PAD + 12)
        sys.exit(0)
    sys.exit(f"unknown command {command}")
