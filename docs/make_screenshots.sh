#!/usr/bin/env bash
# Regenerates the pictures of the user guide (docs/images/*.png) with one command.
#
# Usage: docs/make_screenshots.sh [BUILD_DIR]
#
#   BUILD_DIR  a build folder of this checkout, with the studio and its tests built
#              (default: build/, relative to the checkout's root).
#
# It runs the studio's screenshot test (tests/ui/screenshot_test) the way ctest runs it: under
# xvfb-run on a 1600x1000 virtual X screen with Qt's xcb platform, so the real X11 code paints
# the window. The test opens the demo project, takes a picture of every workspace, then trains
# tiny models and takes a picture of each workspace with results. This takes a few minutes on a
# CPU. The pictures are written to a temporary folder first; the ones the guide shows are then
# copied into docs/images/ under the same names. Last, atelier-viewer's picture: a tiny singan
# model of the demo's coffee.png shown by the viewer (viewer-singan.png). Nothing else in the
# checkout is changed.
#
# Needs: xvfb-run (Debian package xvfb), and a build made with the GUI and the tests
# (the default: cmake -S . -B build -G Ninja && cmake --build build).
# Exit status: 0 when every picture was made and copied, non-zero otherwise.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build="${1:-$root/build}"
case "$build" in
  /*) ;;
  *) build="$(pwd)/$build" ;;
esac

test_binary="$build/tests/ui/screenshot_test"
if [[ ! -x "$test_binary" ]]; then
  echo "make_screenshots.sh: $test_binary not found; build the studio and its tests first" >&2
  exit 1
fi
if ! command -v xvfb-run >/dev/null; then
  echo "make_screenshots.sh: xvfb-run not found (apt-get install xvfb)" >&2
  exit 1
fi

# The pictures the guide's pages use (names as the test writes them).
pictures=(
  media.png
  attribute-transfer.png
  attribute-transfer-result.png
  latent-sliders-result.png
  single-image-instant.png
  single-image-result.png
  video-variations.png
  video-variations-result.png
  oneshot.png
  oneshot-result.png
  robustness.png
  robustness-result.png
)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "make_screenshots.sh: running $test_binary (a few minutes)"
(
  cd "$build"
  ATELIER_SCREENSHOT_DIR="$work" xvfb-run -a -s "-screen 0 1600x1000x24" \
    env QT_QPA_PLATFORM=xcb "$test_binary"
)

mkdir -p "$here/images"
for picture in "${pictures[@]}"; do
  if [[ ! -s "$work/$picture" ]]; then
    echo "make_screenshots.sh: the test did not write $picture" >&2
    exit 1
  fi
  cp "$work/$picture" "$here/images/$picture"
  echo "docs/images/$picture ($(stat -c %s "$here/images/$picture") bytes)"
done

# The viewer's page: a tiny singan model of the demo's coffee.png, seed 3.
cli="$build/app/cli/atelier-cli"
viewer="$build/app/viewer/atelier-viewer"
if [[ -x "$cli" && -x "$viewer" ]]; then
  "$cli" train singan --image "$root/resources/demo/media/coffee.png" --preset tiny \
    --out "$work/coffee.atl" >/dev/null
  xvfb-run -a -s "-screen 0 1600x1000x24" "$viewer" "$work/coffee.atl" --set seed=3 \
    --screenshot "$here/images/viewer-singan.png"
  echo "docs/images/viewer-singan.png ($(stat -c %s "$here/images/viewer-singan.png") bytes)"
else
  echo "make_screenshots.sh: no atelier-cli or atelier-viewer in $build; viewer-singan.png kept" >&2
fi
