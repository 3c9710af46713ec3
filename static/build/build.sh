#!/usr/bin/env bash
# Rebuild sendadmin's vendored front-end assets from the pinned npm packages.
#
#   bash static/build/build.sh
#
# Writes:
#   static/govuk/govuk-frontend.min.css   (compiled from sendadmin.scss: system fonts, no GDS Transport)
#   static/govuk/govuk-frontend.min.js    (GOV.UK Frontend ES module, copied as shipped)
#   static/govuk/assets/images/           (govuk-frontend images minus GOV.UK-branded ones)
#   static/vendor/htmx.min.js             (htmx, copied as shipped)
#
# Versions are pinned exactly in package.json / package-lock.json; see ../VERSIONS.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

STATIC_DIR="$(cd .. && pwd)"
GOVUK_OUT="$STATIC_DIR/govuk"
VENDOR_OUT="$STATIC_DIR/vendor"
GOVUK_DIST="node_modules/govuk-frontend/dist/govuk"

# Exact, lockfile-only install. --ignore-scripts: nothing we use needs an
# install script (sass is pure JS; the optional @parcel/watcher is only for
# `sass --watch`).
npm ci --ignore-scripts --no-audit --no-fund

rm -rf "$GOVUK_OUT" "$VENDOR_OUT"
mkdir -p "$GOVUK_OUT/assets/images" "$VENDOR_OUT"

# 1. CSS
node node_modules/sass/sass.js \
  --style=compressed \
  --no-source-map \
  --quiet-deps \
  --load-path=node_modules \
  sendadmin.scss "$GOVUK_OUT/govuk-frontend.min.css"

# Guard: this is not a central government service, so the GDS Transport
# typeface must not be referenced, and we ship no fonts at all.
if grep -qiE 'GDS Transport|@font-face|/fonts/|\.woff' "$GOVUK_OUT/govuk-frontend.min.css"; then
  echo "build.sh: compiled CSS still references GDS Transport / @font-face" >&2
  exit 1
fi

# 2. JS (an ES module: load with <script type="module">)
cp "$GOVUK_DIST/govuk-frontend.min.js" "$GOVUK_OUT/govuk-frontend.min.js"

# 3. Images. Never the fonts folder. Drop anything GOV.UK-branded: files named
# *crown*, plus the crest (Royal Arms), the crown favicons/app icons and the
# GOV.UK OpenGraph image. In govuk-frontend 6.x every shipped image is one of
# these, so the folder is expected to end up empty.
for f in "$GOVUK_DIST"/assets/images/*; do
  [ -f "$f" ] || continue
  name="$(basename "$f")"
  case "$name" in
    *crown* | *crest* | favicon.* | govuk-icon* | govuk-opengraph*) continue ;;
  esac
  cp "$f" "$GOVUK_OUT/assets/images/$name"
done
touch "$GOVUK_OUT/assets/images/.gitkeep"

# 4. htmx (classic script, not a module)
cp node_modules/htmx.org/dist/htmx.min.js "$VENDOR_OUT/htmx.min.js"

pkgver() { node -p "require('./node_modules/$1/package.json').version"; }
echo "build.sh: built with govuk-frontend $(pkgver govuk-frontend), sass $(pkgver sass), htmx.org $(pkgver htmx.org)"
