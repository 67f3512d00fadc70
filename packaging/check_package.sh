#!/usr/bin/env bash
# Proves the Debian package right, as a user would get it:
#  1. cpack writes it from BUILD_DIR;
#  2. its dependencies: every shared library its programs load belongs to a package that its
#     Depends names, OpenBLAS is named (the reference BLAS is 30x slower), and apt can install them
#     all from Debian's archive (a simulation: nothing on this machine changes);
#  3. dpkg --root installs it into an empty root with a dpkg database of its own;
#  4. the programs run from that root alone, away from the source and build trees: atelier-cli
#     info, a tiny singan training on the installed demo's picture, and the studio's screenshot of
#     the installed demo project (found in <root>/usr/share/atelier).
# Usage: packaging/check_package.sh BUILD_DIR   (ctest runs it as package.install)
set -euo pipefail

build="$(cd "${1:?usage: check_package.sh BUILD_DIR}" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() {
  echo "package check: $*" >&2
  exit 1
}

echo "1. cpack"
SECONDS=0
(cd "$build" && cpack -G DEB -B "$work/deb" >"$work/cpack.log" 2>&1) || {
  cat "$work/cpack.log" >&2
  fail "cpack failed"
}
deb="$(ls "$work"/deb/*.deb)"
echo "   $(basename "$deb"), $(du -h "$deb" | cut -f1)"

echo "   (${SECONDS} s)"
echo "2. dependencies"
depends="$(dpkg-deb -f "$deb" Depends)"
recommends="$(dpkg-deb -f "$deb" Recommends)"
# Package names only: versions and alternatives do not matter for "is it named".
named=" $(echo "$depends" | tr ',|' '\n\n' | sed 's/(.*)//; s/:.*//; s/ //g' | tr '\n' ' ') "
mkdir -p "$work/unpacked"
dpkg-deb -x "$deb" "$work/unpacked"
missing=()
# A program's own NEEDED entries: what they need in turn, their packages' Depends bring.
while IFS= read -r program; do
  readelf -h "$program" >/dev/null 2>&1 || continue  # programs only, not scripts
  if ldd "$program" | grep -q "not found"; then
    fail "$program needs a library that is not installed: $(ldd "$program" | grep 'not found')"
  fi
  resolved="$(ldd "$program")"
  while IFS= read -r soname; do
    library="$(echo "$resolved" | awk -v so="$soname" '$1 == so {print $3}')"
    [ -n "$library" ] || continue
    owner="$(dpkg -S "$library" 2>/dev/null || dpkg -S "$(readlink -f "$library")" 2>/dev/null ||
      true)"
    owner="$(echo "$owner" | head -1 | cut -d: -f1)"
    [ -n "$owner" ] || fail "$library ($(basename "$program")) belongs to no Debian package"
    # Depends may name a virtual package that the owner provides (libspdlog1.10-fmt9).
    provided="$(dpkg-query -W -f='${Provides}' "$owner" 2>/dev/null | tr ',' '\n' |
      sed 's/(.*)//; s/ //g')"
    found=""
    for name in "$owner" $provided; do
      case "$named" in *" $name "*) found=1 ;; esac
    done
    [ -n "$found" ] || missing+=("$(basename "$program"): $soname ($owner)")
  done < <(readelf -d "$program" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
done < <(find "$work/unpacked/usr/bin" "$work/unpacked/usr/libexec" -type f)
if [ ${#missing[@]} -gt 0 ]; then
  printf '   not in Depends: %s\n' "${missing[@]}" | sort -u >&2
  fail "Depends misses the packages above"
fi
case "$depends $recommends" in *libopenblas0*) ;; *) fail "neither Depends nor Recommends names OpenBLAS" ;; esac
apt-get install --simulate --no-install-recommends "$deb" >"$work/apt.log" 2>&1 || {
  cat "$work/apt.log" >&2
  fail "apt cannot install the package's dependencies"
}
echo "   every library's package is in Depends; apt resolves them"

echo "   (${SECONDS} s)"
echo "3. dpkg --root"
root="$work/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
# --force-depends: the dependencies were checked against this machine's packages above.
dpkg --root="$root" --force-depends --force-script-chrootless --force-not-root -i "$deb" >"$work/dpkg.log" 2>&1 || {
  cat "$work/dpkg.log" >&2
  fail "dpkg --root failed"
}
dpkg --root="$root" -s atelier | grep -q "^Status: install ok installed" || fail "not installed"

echo "   (${SECONDS} s)"
echo "4. the installed programs"
cd "$work"
unset ATELIER_MODELS_DIR ATELIER_DATA_DIR
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" ATELIER_RECOVERY_DIR="$work/recovery"
mkdir -p "$HOME"
"$root/usr/bin/atelier-cli" info >"$work/info.txt" || fail "atelier-cli info failed"
picture="$root/usr/share/atelier/demo/media/chelsea.png"
[ -f "$picture" ] || fail "the demo's pictures are not installed"
"$root/usr/bin/atelier-cli" train singan --image "$picture" --preset tiny --out "$work/chelsea.atl" \
  >"$work/train.log" 2>&1 || {
  cat "$work/train.log" >&2
  fail "a tiny training failed"
}
"$root/usr/bin/atelier-cli" inspect "$work/chelsea.atl" | grep -q singan || fail "the model is not a singan"
display=(env QT_QPA_PLATFORM=offscreen)
command -v xvfb-run >/dev/null && display=(xvfb-run -a)
"${display[@]}" "$root/usr/bin/atelier" --screenshot "$work/studio.png" >"$work/studio.log" 2>&1 || {
  cat "$work/studio.log" >&2
  fail "the studio did not show the installed demo"
}
[ -s "$work/studio.png" ] || fail "no screenshot"
echo "   atelier-cli info, train singan --preset tiny and atelier --screenshot ran from the root"
echo "   (${SECONDS} s)"
echo "package check passed"
