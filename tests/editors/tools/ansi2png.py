#!/usr/bin/env python3
"""Renders a `tmux capture-pane -p -e` dump (24-bit SGR colours) to a PNG. Needs Pillow.
Used to make editors/screenshots/*.png (see tests/editors/tools/screenshots.sh).
  python ansi2png.py in.ansi out.png [--cols N] [--font /path/to/mono.ttf]"""
import re
import sys
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
DEFAULT_FG, DEFAULT_BG = (224, 226, 234), (20, 22, 27)


def parse(text):
    rows = []
    fg, bg, bold = DEFAULT_FG, DEFAULT_BG, False
    for line in text.rstrip("\n").split("\n"):
        cells = []
        for tok in re.split(r"(\x1b\[[0-9;]*m)", line):
            if tok.startswith("\x1b["):
                codes = [int(c) if c else 0 for c in tok[2:-1].split(";")]
                i = 0
                while i < len(codes):
                    c = codes[i]
                    if c == 0:
                        fg, bg, bold = DEFAULT_FG, DEFAULT_BG, False
                    elif c == 1:
                        bold = True
                    elif c == 22:
                        bold = False
                    elif c == 39:
                        fg = DEFAULT_FG
                    elif c == 49:
                        bg = DEFAULT_BG
                    elif c in (38, 48) and i + 4 < len(codes) + 0 and codes[i + 1] == 2:
                        rgb = tuple(codes[i + 2:i + 5])
                        if c == 38:
                            fg = rgb
                        else:
                            bg = rgb
                        i += 4
                    i += 1
            else:
                cells.extend((ch, fg, bg, bold) for ch in tok)
        rows.append(cells)
    return rows


def main():
    src, out = sys.argv[1], sys.argv[2]
    size = 14
    font, bold_font = ImageFont.truetype(FONT, size), ImageFont.truetype(BOLD, size)
    cw = int(font.getlength("M"))
    ch = size + 4
    rows = parse(open(src, encoding="utf-8").read())
    cols = max(len(r) for r in rows)
    img = Image.new("RGB", (cols * cw + 16, len(rows) * ch + 16), DEFAULT_BG)
    d = ImageDraw.Draw(img)
    for y, row in enumerate(rows):
        # Extend the last background to the edge, like a terminal does.
        for x, (c, fg, bg, bold) in enumerate(row):
            px, py = 8 + x * cw, 8 + y * ch
            if bg != DEFAULT_BG:
                d.rectangle([px, py, px + cw, py + ch], fill=bg)
            if c != " ":
                d.text((px, py + 1), c, fill=fg, font=bold_font if bold else font)
    img = img.quantize(colors=64)
    img.save(out, optimize=True)


if __name__ == "__main__":
    main()
