#!/usr/bin/env bash
# Installs headless Chromium and its driver (Debian packages) and the house font DejaVu Sans
# (factsheets draw text as its glyph outlines) when missing; used by `make test` for the tests
# that open produced HTML pages. Needs root or passwordless sudo.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo -n"; fi
echo "installing chromium + chromium-driver + fonts-dejavu-core (Debian packages) for tests ..."
$SUDO apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver fonts-dejavu-core >/dev/null
chromium --version
