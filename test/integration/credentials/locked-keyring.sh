#!/usr/bin/env bash
# Run by the keychain tests inside a keyring of its own (dbus-run-session + with-keyring.sh):
# writes once through the probe, locks the keyring over D-Bus as a screen lock or a logout
# would, then writes again. Prints the probe's two JSON lines.
set -euo pipefail
probe="$(dirname "$0")/probe-keychain.ts"
node --import tsx "$probe" before-the-lock
dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
  org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null
node --import tsx "$probe" after-the-lock 2>/dev/null
