#!/usr/bin/env bash
# Sets up charta on a fresh machine (Debian with Node 20 or newer) and builds all three editions
# into dist/. Installs what the machine lacks: Chromium for the PDF, poppler-utils to inspect PDFs,
# qpdf to check them (the PDF/UA tests read the PDF through it), a Java runtime for EPUBCheck; then the npm packages (which compile the TypeScript).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }

missing=()
if [ -z "${CHARTA_BROWSER:-}" ] && ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null \
  && ! command -v google-chrome >/dev/null && ! command -v google-chrome-stable >/dev/null; then
  missing+=(chromium)
fi
command -v pdfinfo >/dev/null || missing+=(poppler-utils)
command -v qpdf >/dev/null || missing+=(qpdf)
command -v java >/dev/null || missing+=(default-jre-headless)

if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    say "installing ${missing[*]} from Debian's packages"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "please install: ${missing[*]} (no apt-get on this machine)" >&2
    exit 2
  fi
fi

say "installing npm packages"
if [ -f package-lock.json ]; then
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
else
  PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error
fi

say "building the editions into dist/"
node bin/charta.js build
