#!/usr/bin/env bash
# CI only: puts the Developer ID certificate (base64 .p12 in MACOS_CERTIFICATE_P12_BASE64,
# its password in MACOS_CERTIFICATE_PASSWORD) into a temporary keychain for codesign.
# Without them it prints "skipped: not configured" and does nothing.
set -euo pipefail
if [ -z "${MACOS_CERTIFICATE_P12_BASE64:-}" ] || [ -z "${MACOS_CERTIFICATE_PASSWORD:-}" ]; then
    echo "==> signing certificate: skipped: not configured" >&2
    exit 0
fi
KEYCHAIN="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/codex-link-signing.keychain-db"
KEYCHAIN_PASSWORD="$(uuidgen)"
P12="$(mktemp "${TMPDIR:-/tmp}/codex-link-cert.XXXXXX")"
trap 'rm -f "$P12"' EXIT
printf '%s' "$MACOS_CERTIFICATE_P12_BASE64" | base64 --decode > "$P12"
security create-keychain -p "$KEYCHAIN_PASSWORD" "$KEYCHAIN"
security set-keychain-settings -lut 21600 "$KEYCHAIN"
security unlock-keychain -p "$KEYCHAIN_PASSWORD" "$KEYCHAIN"
security import "$P12" -P "$MACOS_CERTIFICATE_PASSWORD" -A -t cert -f pkcs12 -k "$KEYCHAIN"
security set-key-partition-list -S apple-tool:,apple: -k "$KEYCHAIN_PASSWORD" "$KEYCHAIN" >/dev/null
security list-keychains -d user -s "$KEYCHAIN" $(security list-keychains -d user | tr -d '"')
echo "==> signing certificate: imported into $KEYCHAIN" >&2
