#!/usr/bin/env sh
# The end-to-end tests drive Debian's chromium (playwright cannot download its own browser here) with a CJK font for the pages.
set -eu
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi 'wqy\|noto sans cjk'; then
  exit 0
fi
echo "Installing chromium and a Chinese font for the end-to-end tests (apt-get)…" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
