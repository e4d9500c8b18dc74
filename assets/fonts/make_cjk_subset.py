#!/usr/bin/env python3
"""Regenerate NotoSansCJKsc-Subset.otf from Debian's fonts-noto-cjk.

    apt-get install -y fonts-noto-cjk fonttools
    python3 assets/fonts/make_cjk_subset.py

Keeps: the 3,755 level-1 Han characters of GB 2312 (the most common
simplified Chinese characters), the 2,350 Hangul syllables of KS X 1001,
CJK symbols and punctuation, hiragana, katakana (U+3000-30FF, U+31F0-31FF)
and half-/full-width forms (U+FF00-FFEF). Hinting is dropped to save space.
"""
import subprocess
import sys
import tempfile
from pathlib import Path

SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FACE_SC = 2  # 0 JP, 1 KR, 2 SC, 3 TC, 4 HK
OUTPUT = Path(__file__).with_name("NotoSansCJKsc-Subset.otf")


def double_byte_chars(codec, rows, cells=range(0xA1, 0xFF)):
    chars = set()
    for lead in rows:
        for trail in cells:
            try:
                chars.update(bytes([lead, trail]).decode(codec))
            except UnicodeDecodeError:
                pass
    return chars


def main():
    han = {c for c in double_byte_chars("gb2312", range(0xB0, 0xD8)) if "\u4e00" <= c <= "\u9fff"}
    hangul = double_byte_chars("euc_kr", range(0xB0, 0xC9))
    ranges = [(0x3000, 0x3100), (0x31F0, 0x3200), (0xFF00, 0xFFF0)]
    extra = {chr(c) for start, end in ranges for c in range(start, end)}
    text = "".join(sorted(han | hangul | extra))
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as chars:
        chars.write(text)
        chars.flush()
        subprocess.run(
            [
                sys.executable, "-m", "fontTools.subset", SOURCE,
                f"--font-number={FACE_SC}",
                f"--text-file={chars.name}",
                f"--output-file={OUTPUT}",
                "--no-hinting",
                "--name-IDs=*",
                "--name-languages=*",
            ],
            check=True,
        )
    print(f"{OUTPUT}: {len(text)} characters, {OUTPUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
