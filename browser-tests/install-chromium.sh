#!/usr/bin/env bash
# Installs the browser the browser tests drive: Debian's chromium and its matching chromedriver.
# Idempotent: does nothing when both are there. Needs root (or passwordless sudo) and the Debian
# mirrors; .ci/run calls it before ./mvnw verify. Without it the browser tests fail (never skip).
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-chromium: run as root (apt-get needs it)" >&2; exit 1; }
  SUDO="sudo -n"
fi
command -v apt-get >/dev/null 2>&1 || { echo "install-chromium: no apt-get; install chromium and chromium-driver yourself" >&2; exit 1; }

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >/dev/null
/usr/bin/chromium --version
/usr/bin/chromedriver --version
