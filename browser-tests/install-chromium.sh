#!/usr/bin/env bash
# Installs the browser the browser tests drive: Debian's chromium and its matching chromedriver.
# Idempotent: does nothing when both are there. Needs root (or passwordless sudo) and the Debian
# mirrors. ./mvnw verify runs it (browser-tests/pom.xml, pre-integration-test); it can also be run
# by hand. When it cannot install, it says why and fails the build: the browser tests never skip.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi

cannot() {
  echo "install-chromium: the browser tests need /usr/bin/chromium and /usr/bin/chromedriver, and they are" >&2
  echo "install-chromium: missing; $1." >&2
  echo "install-chromium: install Debian's chromium and chromium-driver (or run browser-tests/install-chromium.sh as root), then run ./mvnw verify again." >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 || cannot "this machine has no apt-get to install them with"
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || cannot "installing them needs root, and this build runs as $(id -un) without sudo"
  sudo -n true 2>/dev/null || cannot "installing them needs root, and sudo asks $(id -un) for a password"
  SUDO="sudo -n"
fi
echo "install-chromium: installing Debian's chromium and chromium-driver (apt-get, once)"

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || cannot "apt-get update failed (no network or no Debian mirror?)"
$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >/dev/null \
  || cannot "apt-get install chromium chromium-driver failed"
/usr/bin/chromium --version
/usr/bin/chromedriver --version
