#!/bin/sh
# Installs the Debian packages the tests need when they are missing: Java (the HermiT reasoner) and
# Chromium (the browser test). Does nothing when both are present or when not root without sudo.
set -e
need=""
command -v java >/dev/null 2>&1 || need="$need default-jre-headless"
command -v chromium >/dev/null 2>&1 || need="$need chromium"
# Chinese glyphs for the browser test's screenshots (pages render without them, but as boxes).
[ -d /usr/share/fonts/opentype/noto ] || need="$need fonts-noto-cjk"
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
  echo "system-deps: missing:$need (install them, or the tests that need them will fail)" >&2; exit 0
fi
echo "system-deps: installing$need"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
