#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into corpus/NAME/.

The seeds follow each target's input layout (see the comment at the top of
fuzz_NAME.c) so that libFuzzer starts from inputs that reach deep into the
code: valid images and signals of odd sizes, NaN/Inf payloads, the UI's
real atom messages. Run it again after changing a layout.
SPDX-License-Identifier: GPL-3.0-or-later
"""
import math
import os
import random
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(7)


def write(target, name, data):
    folder = os.path.join(HERE, 'corpus', target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), 'wb') as f:
        f.write(data)


def rapsd_header(w, h, components, channel, padding, raw, fcut):
    return struct.pack('<hhBBBBB', w, h, components - 1, channel, padding, raw, fcut)


def rapsd_seeds():
    for w, h, comps in [(8, 8, 1), (7, 5, 3), (1, 64, 1), (64, 1, 2), (33, 17, 4), (1, 1, 1),
                        (32, 32, 3)]:
        pixels = bytes(rng.randrange(256) for _ in range(w * h * comps))
        write('rapsd', f'bytes_{w}x{h}x{comps}', rapsd_header(w, h, comps, 0, 0, 0, 128) + pixels)
    specials = [float('nan'), float('inf'), -float('inf'), 1e-40, 3e38, 0.5, -0.5, 1.0]
    floats = b''.join(struct.pack('<f', rng.choice(specials)) for _ in range(9 * 7 * 3))
    write('rapsd', 'floats_9x7x3', rapsd_header(9, 7, 3, 1, 2, 1, 60) + floats)
    write('rapsd', 'zero_width', rapsd_header(0, 5, 1, 0, 0, 0, 0))
    write('rapsd', 'negative_size', rapsd_header(-1, -300, 1, 0, 0, 0, 0))


def audio_header(fft_exp, hop, mels, rate, out_rate, flags, top_db, raw, n_mfcc, columns):
    top = bytes([1, top_db]) if top_db else bytes([0])
    return (struct.pack('<BHBBBB', fft_exp, hop, mels, rate, out_rate, flags) + top +
            bytes([raw, n_mfcc, columns]))


def audio_seeds():
    sine = b''.join(struct.pack('<h', int(12000 * math.sin(2 * math.pi * 440 * i / 22050)))
                    for i in range(2048))
    write('audio', 'sine_pcm', audio_header(0, 128, 64, 3, 5, 0, 80, 0, 20, 8) + sine)
    noise = b''.join(struct.pack('<h', rng.randrange(-8000, 8000)) for _ in range(3000))
    write('audio', 'noise_pcm_htk', audio_header(2, 1000, 128, 5, 2, 1, 0, 0, 13, 4) + noise)
    specials = [float('nan'), float('inf'), -float('inf'), 1e-42, 0.0, 0.25, -0.25, 1e30]
    floats = b''.join(struct.pack('<f', rng.choice(specials)) for _ in range(600))
    write('audio', 'specials_raw', audio_header(1, 64, 32, 0, 7, 2, 0, 1, 5, 2) + floats)
    write('audio', 'tiny_mels', audio_header(0, 256, 1, 8, 9, 4, 0, 0, 0, 0) + noise[:400])


def names_seeds():
    doubles = struct.pack('<dddddddd', 0.5, 1.0, 3.0, 2.0, -1.0, 1e-3, 0.1, 0.0)
    for name in ['rectified-flow', 'rf', 'sd3', 'cosine', 'vp-cosine', 'ddpm', 'scaled-linear',
                 'edm', 'green', 'luma', 'red', 'blue', 'bogus', '']:
        write('names', 'name_' + (name or 'empty'), name.encode() + b'\0' + bytes([2]) + doubles)
    nasty = struct.pack('<dddd', float('nan'), float('inf'), -1e308, 5e-324)
    write('names', 'nan_inf', b'edm\0\x05' + nasty + nasty)


def lv2_block(n, capacity, events, seq_type=1, unit=1, audio=b''):
    out = struct.pack('<HH', n, capacity) + bytes([len(events)])
    for size, time, type_choice, payload in events:
        timing = bytes([time]) if time < 128 else bytes([0x80]) + struct.pack('<i', time)
        out += bytes([size]) + timing + bytes([type_choice]) + payload[:size].ljust(size, b'\0')
    return out + bytes([seq_type, unit]) + (audio or bytes(rng.randrange(256) for _ in range(n)))


def lv2_seeds():
    # Object payload: id (4 bytes), otype chooser at payload[4] (0 UiOn, 1 UiOff, 2 StateRequest).
    ui_on = (8, 0, 0, b'\0\0\0\0\0\0\0\0')
    state = (8, 3, 1, b'\0\0\0\0\x02\0\0\0')
    ui_off = (8, 5, 2, b'\0\0\0\0\x01\0\0\0')
    write('lv2_atoms', 'mono_ui_on', bytes([0, 0, 2]) + lv2_block(256, 8000, [ui_on]) +
          lv2_block(512, 8000, [state]))
    write('lv2_atoms', 'stereo_ui_cycle', bytes([1, 1, 3]) + lv2_block(64, 4000, [ui_on, state]) +
          lv2_block(1000, 100, [ui_off]) + lv2_block(1, 8, [ui_on]))
    short_object = (0, 1, 0, b'')
    far_time = (8, 300000, 1, b'\0\0\0\0\0\0\0\0')
    write('lv2_atoms', 'malformed', bytes([0, 2, 1]) +
          lv2_block(128, 2000, [short_object, far_time, (4, 2, 3, b'\1\2\3\4'), (40, 2, 7, b'x' * 40)],
                    seq_type=0, unit=0))


rapsd_seeds()
audio_seeds()
names_seeds()
lv2_seeds()


# ---- files for the command line's decoders (need ImageMagick's convert and sox) ----
import shutil
import subprocess
import tempfile
import wave


def file_seed(target, name, ext_index, path):
    with open(path, 'rb') as f:
        content = f.read()
    write(target, name, bytes([ext_index]) + content)
    return content


def loader_seeds(tmp):
    """The layouts the loader (cli/pixels*.c) handles apart: PNG palette with
    tRNS, 2-bit gray, Adam7, 16-bit gray+alpha, colour chunks; progressive
    and CMYK JPEG; planar tiled 16-bit TIFF; lossless WebP with alpha."""
    try:
        from PIL import Image, PngImagePlugin
    except ImportError:
        return
    gradient = Image.linear_gradient('L').resize((21, 14))
    rgb = Image.merge('RGB', (gradient, gradient.transpose(Image.FLIP_LEFT_RIGHT), gradient.rotate(90)))
    seeds = []
    path = os.path.join(tmp, 'p.png')
    rgb.quantize(colors=7).save(path, transparency=2, bits=4)
    seeds.append(('palette_trns.png', 0, path))
    path = os.path.join(tmp, 'g2.png')
    gradient.convert('1').save(path)
    seeds.append(('gray1.png', 0, path))
    info = PngImagePlugin.PngInfo()
    info.add(b'gAMA', struct.pack('>I', 45455))
    info.add(b'iCCP', b'x\0\0' + __import__('zlib').compress(b'not a profile'))
    path = os.path.join(tmp, 'c.png')
    rgb.save(path, pnginfo=info)
    seeds.append(('colour_chunks.png', 0, path))
    path = os.path.join(tmp, 'i.png')
    subprocess.run(['convert', os.path.join(tmp, 'c.png'), '-interlace', 'PNG', f'PNG48:{path}'],
                   check=False, capture_output=True)
    seeds.append(('adam7_16.png', 0, path))
    path = os.path.join(tmp, 'ga.png')
    subprocess.run(['convert', '-size', '11x7', 'gradient:', '-alpha', 'set', '-depth', '16',
                    f'PNG:{path}'], check=False, capture_output=True)
    seeds.append(('gray_alpha16.png', 0, path))
    path = os.path.join(tmp, 'prog.jpg')
    rgb.save(path, quality=80, progressive=True, subsampling=1)
    seeds.append(('progressive.jpg', 1, path))
    path = os.path.join(tmp, 'k.jpg')
    rgb.convert('CMYK').save(path, quality=80)
    seeds.append(('cmyk.jpg', 1, path))
    path = os.path.join(tmp, 't.tif')
    subprocess.run(['convert', os.path.join(tmp, 'c.png'), '-depth', '16', '-define',
                    'tiff:tile-geometry=16x16', '-interlace', 'plane', '-compress', 'lzw', path],
                   check=False, capture_output=True)
    seeds.append(('planar_tiled16.tif', 2, path))
    path = os.path.join(tmp, 'a.webp')
    rgb.convert('RGBA').save(path, lossless=True)
    seeds.append(('lossless_alpha.webp', 3, path))
    for name, ext_index, path in seeds:
        if os.path.exists(path):
            file_seed('image_file', name, ext_index, path)


def cli_file_seeds():
    tmp = tempfile.mkdtemp()
    try:
        if shutil.which('convert'):
            for ext_index, (fmt, name) in enumerate([('PNG24', 'png'), ('JPEG', 'jpg'),
                                                     ('TIFF', 'tif'), ('WEBP', 'webp')]):
                path = os.path.join(tmp, 'g.' + name)
                subprocess.run(['convert', '-size', '24x16', 'plasma:fractal', '-seed', '3',
                                f'{fmt}:{path}'], check=False, capture_output=True)
                if os.path.exists(path):
                    content = file_seed('image_file', 'small.' + name, ext_index, path)
                    if name == 'png':
                        write('image_file', 'truncated.png', bytes([0]) + content[:len(content) // 2])
            path = os.path.join(tmp, 'g16.png')
            subprocess.run(['convert', '-size', '9x13', 'gradient:', '-depth', '16', f'PNG48:{path}'],
                           check=False, capture_output=True)
            if os.path.exists(path):
                file_seed('image_file', 'gray16.png', 0, path)
        loader_seeds(tmp)
        write('image_file', 'text_named_png', bytes([0]) + b'this is not an image\n')
        write('image_file', 'empty_png', bytes([0]))

        wav = os.path.join(tmp, 'a.wav')
        with wave.open(wav, 'wb') as w:
            w.setnchannels(2)
            w.setsampwidth(2)
            w.setframerate(8000)
            w.writeframes(b''.join(struct.pack('<hh', int(9000 * math.sin(i * 0.3)),
                                               rng.randrange(-3000, 3000)) for i in range(1600)))
        content = file_seed('audio_file', 'stereo.wav', 0, wav)
        write('audio_file', 'truncated.wav', bytes([0]) + content[:300])
        write('audio_file', 'empty.wav', bytes([0]))
        write('audio_file', 'text_named_flac', bytes([1]) + b'fLaC but not really')
        if shutil.which('sox'):
            for ext_index, name in [(1, 'flac'), (2, 'ogg'), (3, 'aiff'), (4, 'au')]:
                path = os.path.join(tmp, 'a.' + name)
                subprocess.run(['sox', wav, path], check=False, capture_output=True)
                if os.path.exists(path):
                    file_seed('audio_file', 'small.' + name, ext_index, path)
    finally:
        shutil.rmtree(tmp)


def cli_args_seeds():
    # The order of cli/commands.c's table (the first byte picks by index).
    commands = ['rapsd', 'fmax', 'tide', 'schedules', 'audio', 'mfcc', 'melspec', 'tide-audio',
                'merge', 'report', 'shift', 'compare']
    cases = [
        ('rapsd', ['--csv', 'o.csv', '--channel', 'luma', 'a.png']),
        ('rapsd', ['--average', '--plot', 'p.svg', 'a.png', 'a.png']),
        ('fmax', ['--schedule', 'rf', '--steps', '5', '--tau', '2', 'a.png']),
        ('fmax', ['--schedule', 'all', '--csv', 'f.csv', 'a.png']),
        ('tide', ['--schedule', 'sd3', '--t', '0.5', '--out-dir', 'out', 'a.png']),
        ('tide', ['--sigma', '0.3', '--seed', '7', '--out-dir', 'out', 'a.png']),
        ('schedules', []),
        ('audio', ['--csv', 'o.csv', '--rate', '16000', '--mels', '64', 'a.wav']),
        ('audio', ['--average', '--n-fft', '1024', '--hop', '256', 'a.wav', 'b.ogg']),
        ('mfcc', ['--n-mfcc', '13', '--csv', 'm.csv', 'a.wav']),
        ('melspec', ['--top-db', '80', '--csv', 'm.csv', 'a.wav']),
        ('tide-audio', ['--sigma-db', '-30', '--mode', 'noise', 'a.wav', 'o.wav']),
        ('tide-audio', ['--schedule', 'edm', '--t', '0.2', '--mode', 'mask', 'a.wav', 'o.flac']),
        ('rapsd', ['--help']),
        ('fmax', ['--steps', '999999999999', '--schedule', 'nope', 'a.png']),
        ('shift', ['--weight', 'logit-normal', '--csv', 's.csv', '--plot', 's.svg', 'a.png', 'a.png']),
        ('shift', ['--schedule', 'cosine', '--steps', '7', '--tau', '3', 'a.png', '@a.png']),
        ('compare', ['--tolerance-db', '0.5', '--csv', 'c.csv', '--plot', 'c.png', 'a.png', 'a.png']),
        ('compare', ['--group-by', 'parent', '--schedule', 'edm', 'a.png', 'x.stacc']),
    ]
    for i, (command, args) in enumerate(cases):
        data = bytes([commands.index(command)]) + b'\0'.join(a.encode() for a in args)
        write('cli_args', f'{i:02d}_{command}', data)


cli_file_seeds()
cli_args_seeds()
