#!/bin/sh
# Vendors Swagger UI (the npm package swagger-ui-dist, pinned below) into src/attgraph/web/static/ for the
# offline API page (/api): swagger-ui-bundle.js, swagger-ui.css and the package's licence and notice
# (swagger-ui.LICENSE, swagger-ui.NOTICE), with swagger-ui.VERSION saying what was vendored. The page
# loads nothing from another host, so the files are kept in the repository; run this again only to change
# the version (then update VERSION and INTEGRITY, from `npm view swagger-ui-dist@X dist.integrity`).
#
# With npm, the tarball comes through `npm pack`; without it, straight from the npm registry with curl.
# Either way its SHA-512 must be the pinned one. `make serve` never runs this: it needs no node.
set -eu
VERSION=5.35.0
INTEGRITY=sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ==
FILES="swagger-ui-bundle.js swagger-ui.css LICENSE NOTICE"  # LICENSE and NOTICE get a swagger-ui. prefix

here=$(cd "$(dirname "$0")/.." && pwd)
target="$here/src/attgraph/web/static"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tarball="$work/swagger-ui-dist-$VERSION.tgz"
if command -v npm >/dev/null 2>&1; then
  (cd "$work" && npm pack --silent "swagger-ui-dist@$VERSION" >/dev/null)
else
  curl -fsSL -o "$tarball" "https://registry.npmjs.org/swagger-ui-dist/-/swagger-ui-dist-$VERSION.tgz"
fi
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 | tr -d '\n')"
if [ "$actual" != "$INTEGRITY" ]; then
  echo "vendor-swagger-ui: the tarball's digest is $actual, not the pinned $INTEGRITY" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work"
mkdir -p "$target"
for name in $FILES; do
  case "$name" in LICENSE|NOTICE) dest="swagger-ui.$name" ;; *) dest="$name" ;; esac
  cp "$work/package/$name" "$target/$dest"
done
# The bundle names a source map that is not vendored: drop the reference so that no browser asks for it.
sed -i '/^\/\/# sourceMappingURL=/d' "$target/swagger-ui-bundle.js"
sed -i '/^\/\*# sourceMappingURL=.*\*\/$/d' "$target/swagger-ui.css"
echo "swagger-ui-dist $VERSION ($INTEGRITY)" > "$target/swagger-ui.VERSION"
echo "vendored swagger-ui-dist $VERSION into $target"
