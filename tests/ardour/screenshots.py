#!/usr/bin/python3
"""Pixel checks of Ardour screenshots for tests/ardour/test_gui.sh (numpy only;
ImageMagick's convert decodes the PNGs).

  screenshots.py strip SHOT.png --sigma-db S --tau-db T [--crop OUT] [--display-crop OUT]
                 [--report OUT]
      Finds spectide's inline display in Ardour's mixer strip and checks that it
      draws a spectrum curve and the water line at the row that sigma and tau
      imply. Exit 0 when it does, 1 when not (yet), with the reason.
  screenshots.py ui SHOT.png       the plugin's own window draws (many colours, a plot)
  screenshots.py differ A.png B.png  the two captures differ (the view is live)
"""
import argparse
import subprocess
import sys

import numpy as np


def load(path):
    """RGB pixels (rows, columns, 3) of an image file."""
    data = subprocess.run(["convert", path, "-depth", "8", "ppm:-"], capture_output=True,
                          check=True).stdout
    # A binary PPM: "P6", width, height, 255, each followed by one whitespace
    # byte, then the pixels (which may begin with a whitespace byte too).
    fields, position = [], 0
    while len(fields) < 4:
        while data[position:position + 1].isspace():
            position += 1
        end = position
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end + 1
    if fields[0] != b"P6" or fields[3] != b"255":
        raise ValueError(f"{path}: unexpected PPM from convert")
    width, height = int(fields[1]), int(fields[2])
    pixels = data[position:position + width * height * 3]
    return np.frombuffer(pixels, np.uint8).reshape(height, width, 3)


def save(pixels, path):
    header = f"P6 {pixels.shape[1]} {pixels.shape[0]} 255\n".encode()
    subprocess.run(["convert", "ppm:-", path], input=header + np.ascontiguousarray(pixels).tobytes(),
                   check=True)


def near(pixels, rgb, tolerance):
    """Mask of the pixels within `tolerance` of colour rgb (0xRRGGBB) in every channel."""
    target = np.array([(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255], np.int16)
    return np.all(np.abs(pixels.astype(np.int16) - target) <= tolerance, axis=-1)


# --------------------------------------------------------------------------
# Where Ardour puts the inline display
# --------------------------------------------------------------------------
# Ardour (7 and 8, default theme) draws a plugin processor in the strip's
# processor box as a rounded entry: a name button filled with the plugin
# colour (a dark red gradient), a one-pixel black line under it, then the
# plugin's inline display image, over whose outer pixels (its first and last
# column and its last row) Ardour strokes the entry's one-pixel frame in the
# plugin colour (gtk2_ardour's PluginDisplay: the image at the widget's top
# left, then the frame). The image is found from that frame, not from what
# the plugin draws.

def reddish(pixels):
    """Ardour's plugin-processor fill: dark red, green and blue about equal."""
    p = pixels.astype(np.int16)
    r, g, b = p[..., 0], p[..., 1], p[..., 2]
    return (r >= 60) & (r <= 170) & (r >= 1.6 * g) & (np.abs(g - b) <= 6)


def find_inline_display(img):
    """(left, top, right, bottom) of the inline display image (inclusive; its
    outer columns and last row lie under Ardour's frame), and the centre of the
    processor's name button; None when there is none on screen."""
    red = reddish(img)
    black = np.all(img <= 8, axis=-1)
    height, width = black.shape
    # The black line under the name button: a horizontal run of >= 60 black
    # pixels with the name button's red right above it on most of the run.
    for y in range(1, height - 8):
        row = black[y]
        if row.sum() < 60:
            continue
        x = 0
        while x < width:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < width and row[x]:
                x += 1
            end = x - 1
            if end - start + 1 < 60:
                continue
            inner = slice(start + 6, end - 5)
            if red[y - 1, inner].mean() < 0.8:
                continue
            # The entry's frame: the plugin colour left and right of the image,
            # a few pixels outside the line's ends, below the entry's round corners.
            if y + 10 >= height:
                continue
            probe = img[y + 10:y + 11]
            red_probe = reddish(probe)[0]
            lefts = [xx for xx in range(start, max(-1, start - 8), -1) if red_probe[xx]]
            rights = [xx for xx in range(end, min(width, end + 8)) if red_probe[xx]]
            if not lefts or not rights:
                continue
            frame_left, frame_right = lefts[0], rights[0]
            frame = probe[0, frame_left].astype(np.int16)
            # The image spans the frame's columns, from the row under the black
            # line to the frame's bottom edge (a row of the frame colour across
            # the middle of the entry).
            bottom = None
            for yy in range(y + 10, min(height, y + 600)):
                middle = img[yy:yy + 1, frame_left + 10:frame_right - 9]
                values = middle[0].astype(np.int16)
                # ... with the processor box's near-black background right below
                # (what tells the frame from a red line inside the image).
                below = img[yy + 1, frame_left + 10:frame_right - 9] if yy + 1 < height else None
                if reddish(middle).all() and np.all(np.abs(values - frame) <= 25) and \
                        np.all(values.max(axis=0) - values.min(axis=0) <= 12) and \
                        below is not None and (below.max(axis=-1) <= 30).mean() >= 0.8:
                    bottom = yy
                    break
            if bottom is None or bottom - y < 12:
                continue
            # The name button: the red rows above the line, followed up a column
            # near its right end (no text, no LED there); its centre is the
            # click target.
            column = frame_right - 3
            top_of_name = y - 1
            while top_of_name > 0 and red[top_of_name - 1, column]:
                top_of_name -= 1
            name = ((frame_left + frame_right) // 2, (top_of_name + y - 1) // 2)
            return (frame_left, y + 1, frame_right, bottom), name
    return None


# --------------------------------------------------------------------------
# What spectide's inline display draws
# --------------------------------------------------------------------------
# The dark display (lv2_plugin/inline_display.h documents its colours): the
# averaged spectrum across the whole width, the water line tau*sigma^2 across
# the whole width, dashed grid lines in the text colour at 30% (vertical ones
# at the frequency decades, from the plot area's top edge to its bottom edge),
# a readout line above the plot. Its dB axis is the display_top and
# display_range controls: the plot area's top edge is display_top dB, its
# bottom edge display_top - display_range dB, linear in between.
DARK_BACKGROUND = 0x262626
DARK_CURVE = 0x6CB6F0
DARK_WATER = 0xF0564A
DARK_TEXT = 0xC8C8C8
# The earlier white display (view/'s sv_plot, palette of spectide_view.h):
# a fixed -120..0 dB axis over the plot area inside its grey frame.
PLOT_CURVE = 0x1F77B4
PLOT_WATER = 0xD62728


def background(display):
    """The display's most common colour."""
    colours, counts = np.unique(display.reshape(-1, 3), axis=0, return_counts=True)
    return colours[np.argmax(counts)].astype(float)


def coverage(display, rgb, back, residual=40.0):
    """Per pixel, how much of colour rgb it holds when it is an anti-aliased blend
    of rgb over the background colour `back` (0 when it is not such a blend)."""
    colour = np.array([(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255], float)
    pixels = display.astype(float)
    towards = colour - back
    alpha = np.clip(((pixels - back) @ towards) / (towards @ towards), 0.0, 1.0)
    off = np.linalg.norm(pixels - (back + alpha[..., None] * towards), axis=-1)
    return np.where(off <= residual, alpha, 0.0)


def line_row(display, rgb, back, share=0.4):
    """Centre (in pixel-row units, rows counted from 0 at the display's top, a
    row's centre at its index) of a horizontal line of colour rgb that covers
    at least `share` of the display's width, weighted by coverage; None if none."""
    per_row = coverage(display, rgb, back).sum(axis=1)
    best = int(np.argmax(per_row))
    # An anti-aliased line at a fractional height spreads over two or three rows.
    band = [r for r in range(best - 2, best + 3) if 0 <= r < len(per_row)]
    weights = per_row[band]
    if weights.sum() < share * display.shape[1]:
        return None
    return float(np.dot(band, weights) / weights.sum())


def curve_columns(display, rgb, back):
    """Share of the display's columns that the curve colour crosses."""
    return float((coverage(display, rgb, back) >= 0.5).any(axis=0).mean())


def dash_ends(rows, period):
    """First and last row of a dashed vertical line whose dashes start every
    `period` rows, from the rows where a column shows the grid colour; rows
    that do not continue the pattern (text edges) are ignored."""
    present = set(int(r) for r in rows)
    chained = [r for r in sorted(present)
               if sum((r + k * period) in present for k in (-2, -1, 1, 2)) >= 2]
    return (chained[0], chained[-1]) if chained else None


def dark_plot_area(display, back, height):
    """Top and bottom edges (cairo coordinates: the top of the first row is 0) of
    the plot area of the dark display, from its vertical grid lines."""
    grid = coverage(display, DARK_TEXT, back)
    grid = (grid >= 0.15) & (grid <= 0.5)
    visible = display.shape[0]
    tops, bottoms, periods = [], [], []
    for column in np.nonzero(grid.mean(axis=0) >= 0.2)[0]:
        rows = np.nonzero(grid[:, column])[0]
        for period in (3, 6, 9):  # the dash pattern is 1 on, 2 off, times the UI scale
            ends = dash_ends(rows, period)
            if ends:
                tops.append(ends[0])
                bottoms.append(ends[1])
                periods.append(period)
                break
    if not tops:
        return None
    top = float(np.median(tops))
    last = float(np.median(bottoms))
    period = float(np.median(periods))
    # The lines run to the plot's bottom edge: the last dash starts at most one
    # period above it. With no frequency labels the plot reaches the image's
    # bottom, whose last rows lie under Ardour's frame (one row in Ardour 7,
    # more in Ardour 8, where the last dash seen can start two periods above
    # the visible bottom); frequency labels, at least 9 px tall, would end
    # the lines well above that.
    bottom = float(height) if last >= visible - 2 * period else last + 2.0
    return top, bottom


def plot_frame(display):
    """Top and bottom edges of the white display's plot area (its grey frame)."""
    p = display.astype(np.int16)
    grey = (p.max(axis=-1) - p.min(axis=-1) <= 6) & (p[..., 0] >= 150) & (p[..., 0] <= 215)
    rows = np.nonzero(grey.mean(axis=1) >= 0.6)[0]
    if rows.size < 2:
        return None
    groups = np.split(rows, np.nonzero(np.diff(rows) > 1)[0] + 1)
    top, bottom = groups[0].mean() + 0.5, groups[-1].mean() + 0.5
    return (top, bottom) if bottom - top >= 8 else None


def check_display(display, water_db, top_db, range_db, height):
    """Prints what the display shows (`display`: the visible part of an image
    `height` rows tall); True when it draws the curve and the water line at
    the row that water_db implies."""
    back = background(display)
    if back.mean() < 80:
        design, curve_rgb, water_rgb = "dark", DARK_CURVE, DARK_WATER
        area = dark_plot_area(display, back, height)
        axis_top, axis_bottom = top_db, top_db - range_db
        wanted_columns = 0.6  # the curve spans the width: 20 Hz to the analysis Nyquist
    else:
        design, curve_rgb, water_rgb = "white plot", PLOT_CURVE, PLOT_WATER
        area = plot_frame(display)
        axis_top, axis_bottom = 0.0, -120.0
        wanted_columns = 0.3  # inside the frame; pink noise runs along the top edge
    columns = curve_columns(display, curve_rgb, back)
    water = line_row(display, water_rgb, back)
    print(f"{design} display, background {back.astype(int)}: curve in {100 * columns:.0f}%"
          f" of the columns")
    if area is None:
        print("no plot area found")
        return False
    y0, y1 = area
    if not axis_bottom < water_db < axis_top:
        print(f"water level {water_db:g} dB is off the axis {axis_bottom:g}..{axis_top:g} dB")
        return False
    # Cairo coordinate of the line, then the row whose centre it is (row r spans r..r+1).
    expected = y0 + (axis_top - water_db) / (axis_top - axis_bottom) * (y1 - y0) - 0.5
    print(f"plot area rows {y0:g}..{y1:g} for {axis_top:g}..{axis_bottom:g} dB; water level"
          f" {water_db:g} dB belongs at row {expected:.2f}, the water line is at row"
          + (f" {water:.2f}" if water is not None else ": none found"))
    return columns >= wanted_columns and water is not None and abs(water - expected) <= 1.0


def check_strip(args):
    img = load(args.shot)
    found = find_inline_display(img)
    if found is None:
        print("no inline display found in the mixer strip (no plugin entry with an image)")
        return 1
    (left, top, right, bottom), name = found
    display = img[top:bottom + 1, left:right + 1]
    print(f"inline display at x {left}..{right}, y {top}..{bottom}"
          f" ({display.shape[1]}x{display.shape[0]}); name button at {name[0]},{name[1]}")
    if args.report:
        with open(args.report, "w") as report:
            report.write(f"display {left} {top} {right} {bottom}\n")
            report.write(f"name_button {name[0]} {name[1]}\n")
    if args.display_crop:
        save(display, args.display_crop)
    if args.crop:
        # The strip: from a little above the processor box to the screen's
        # bottom, a margin around the entry's width.
        margin = 12
        save(img[max(0, name[1] - 110):, max(0, left - margin):min(img.shape[1], right + margin + 1)],
             args.crop)
    # The pixels under Ardour's frame are not the plugin's: leave them out (the
    # rows keep their numbers, counted from the image's top).
    ok = check_display(display[:-1, 1:-1], args.sigma_db + args.tau_db, args.top_db, args.range_db,
                       display.shape[0])
    print("strip: ok" if ok else "strip: not (yet) as expected")
    return 0 if ok else 1


def check_ui(args):
    img = load(args.shot)
    height, width = img.shape[:2]
    colours = np.unique(img.reshape(-1, 3), axis=0).shape[0]
    curve = near(img, PLOT_CURVE, 40).sum()
    print(f"plugin UI {width}x{height}: {colours} colours, {curve} pixels of the spectrum colour")
    ok = width >= 200 and height >= 100 and colours >= 64 and curve >= 100
    print("ui: ok" if ok else "ui: not (yet) drawing")
    return 0 if ok else 1


def check_differ(args):
    a, b = load(args.first), load(args.second)
    if a.shape != b.shape:
        print(f"sizes differ: {a.shape} and {b.shape}")
        return 0
    changed = np.any(a != b, axis=-1).mean()
    print(f"{100 * changed:.1f}% of the pixels changed between the two captures")
    return 0 if changed > 0.001 else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    strip = commands.add_parser("strip")
    strip.add_argument("shot")
    strip.add_argument("--sigma-db", type=float, required=True)
    strip.add_argument("--tau-db", type=float, default=0.0)
    strip.add_argument("--top-db", type=float, default=20.0, help="the display_top control")
    strip.add_argument("--range-db", type=float, default=120.0, help="the display_range control")
    strip.add_argument("--crop")
    strip.add_argument("--display-crop")
    strip.add_argument("--report")
    ui = commands.add_parser("ui")
    ui.add_argument("shot")
    differ = commands.add_parser("differ")
    differ.add_argument("first")
    differ.add_argument("second")
    args = parser.parse_args()
    return {"strip": check_strip, "ui": check_ui, "differ": check_differ}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
