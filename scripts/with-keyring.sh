#!/usr/bin/env bash
# Runs a command with a private, unlocked GNOME keyring: a throw-away HOME so the user's own
# keychain is never touched, and the Secret Service on the D-Bus session bus that keytar
# (libsecret) talks to. Call it inside `dbus-run-session`; scripts/test.mjs does.
set -euo pipefail
if ! command -v gnome-keyring-daemon >/dev/null; then
  echo "with-keyring: gnome-keyring-daemon not found (apt-get install gnome-keyring dbus)" >&2
  exit 3
fi
tmp_home=$(mktemp -d -t droppay-keyring-XXXXXX)
trap 'rm -rf "$tmp_home"' EXIT
export HOME="$tmp_home"
export XDG_DATA_HOME="$tmp_home/.local/share"
export XDG_RUNTIME_DIR="$tmp_home/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
# The password only unlocks this throw-away keyring; it protects nothing real.
eval "$(printf 'droppay-test\n' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
export DROPPAY_TEST_KEYRING=1
"$@"
