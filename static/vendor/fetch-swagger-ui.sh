#!/usr/bin/env bash
# Fetch Swagger UI (the /docs page of the API) again from the npm registry and lay
# the unmodified release files under static/vendor/swagger-ui-dist-<version>/.
# app/routers/docs.py names the version, so a new one also needs SWAGGER_UI_VERSION changed.
#
#   static/vendor/fetch-swagger-ui.sh            # the pinned version
#   static/vendor/fetch-swagger-ui.sh 5.36.0     # another version
#
# Needs npm (it verifies the tarball's integrity against the registry).
set -euo pipefail
version="${1:-5.35.0}"
here="$(cd "$(dirname "$0")" && pwd)"
dest="$here/swagger-ui-dist-$version"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "swagger-ui-dist@$version" >/dev/null)
tar -xzf "$work/swagger-ui-dist-$version.tgz" -C "$work"
pkg="$work/package"

rm -rf "$dest"
mkdir -p "$dest"
# What /docs uses: the bundle and its stylesheet, plus the licence and the
# package manifest (provenance); not the README, which links other hosts.
# Files are copied byte for byte.
cp "$pkg/LICENSE" "$pkg/package.json" "$dest/"
cp "$pkg/swagger-ui-bundle.js" "$pkg/swagger-ui.css" "$dest/"
echo "Swagger UI $version -> $dest"
