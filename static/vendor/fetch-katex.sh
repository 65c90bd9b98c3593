#!/usr/bin/env bash
# Fetch KaTeX again from the npm registry and lay the release files under
# static/vendor/katex-<version>/. The page imports katex.min.mjs through the import
# map (app/routers/pages.py), so a new version also needs KATEX_VERSION changed there.
# The release's ES module is not minified (600 KB, 150 KB gzipped); esbuild minifies
# it once, here (270 KB, 78 KB gzipped): the app itself has no build step.
#
#   static/vendor/fetch-katex.sh            # the pinned version
#   static/vendor/fetch-katex.sh 0.19.2     # another version
#
# Needs npm (it verifies the tarball's integrity against the registry).
set -euo pipefail
version="${1:-0.19.1}"
ESBUILD_VERSION=0.25.10
here="$(cd "$(dirname "$0")" && pwd)"
dest="$here/katex-$version"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "katex@$version" >/dev/null)
tar -xzf "$work/katex-$version.tgz" -C "$work"
pkg="$work/package"

rm -rf "$dest"
mkdir -p "$dest/fonts"
# What the page uses: the ES module (minified), the stylesheet and its fonts, plus
# the licence and the package manifest (provenance); not the README, whose examples
# load the package from a CDN. The other files are copied byte for byte.
cp "$pkg/LICENSE" "$pkg/package.json" "$dest/"
cp "$pkg/dist/katex.min.css" "$dest/"
cp "$pkg/dist/fonts/"* "$dest/fonts/"
(cd "$work" && npm install --silent --no-save "esbuild@$ESBUILD_VERSION" >/dev/null)
"$work/node_modules/.bin/esbuild" "$pkg/dist/katex.mjs" --minify --format=esm \
  --legal-comments=inline --log-level=warning --outfile="$dest/katex.min.mjs"
echo "KaTeX $version -> $dest"
