#!/usr/bin/env bash
# Fetch KaTeX again from the npm registry and lay the unmodified release files
# under static/vendor/katex-<version>/. The page imports katex.mjs through the
# import map in templates/base.html, so a new version also needs that path changed.
#
#   static/vendor/fetch-katex.sh            # the pinned version
#   static/vendor/fetch-katex.sh 0.19.2     # another version
#
# Needs npm (it verifies the tarball's integrity against the registry).
set -euo pipefail
version="${1:-0.19.1}"
here="$(cd "$(dirname "$0")" && pwd)"
dest="$here/katex-$version"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "katex@$version" >/dev/null)
tar -xzf "$work/katex-$version.tgz" -C "$work"
pkg="$work/package"

rm -rf "$dest"
mkdir -p "$dest/fonts"
# What the page uses: the ES module, the stylesheet and its fonts, plus the
# licence and the package manifest (provenance); not the README, whose examples
# load the package from a CDN. Files are copied byte for byte.
cp "$pkg/LICENSE" "$pkg/package.json" "$dest/"
cp "$pkg/dist/katex.mjs" "$pkg/dist/katex.min.css" "$dest/"
cp "$pkg/dist/fonts/"* "$dest/fonts/"
echo "KaTeX $version -> $dest"
