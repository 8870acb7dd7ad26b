#!/bin/sh
# make_heic.sh - recipe for tiny.heic and tiny_rot.heic (test_ingest.c):
# heic_src.png (from make_images.c) encoded by heif-enc (Debian package
# libheif-examples), then the same with an irot property that turns it a
# quarter clockwise, as iPhones store portrait photos. Run here.
set -eu
heif-enc -q 90 -p chroma=444 --no-alpha heic_src.png -o tiny.heic
python3 heif_add_irot.py tiny.heic tiny_rot.heic 3
rm -f heic_src.png
