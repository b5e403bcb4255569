#!/bin/sh
# Runs a command with a fresh, unlocked gnome-keyring on the current D-Bus session, so tests
# use the real Secret Service (never keyring's mock store). Call it under dbus-run-session.
set -eu
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
HOME="$(mktemp -d)"
export HOME
trap 'rm -rf "$HOME"' EXIT
eval "$(printf 'parapet-test' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
"$@"
