#!/usr/bin/env bash
# Signs (when configured), packs and notarizes (when configured) the macOS app:
#     packaging/macos/make-dmg.sh "dist/Codex Link.app" dist/codex-link-<version>-macos.dmg
# (packaging/build_dist.py runs it after PyInstaller on macOS.)
#
# Signing happens in the PyInstaller build when MACOS_SIGN_IDENTITY names a "Developer ID
# Application" identity in the keychain (this script checks it and signs the .dmg).
# Notarization runs only when it is signed and APPLE_ID, APPLE_TEAM_ID and APPLE_APP_PASSWORD
# (an app-specific password) are all set. Otherwise each step prints "skipped: not
# configured" and the .dmg is unsigned (macOS then asks the user to confirm with
# right-click > Open the first time).
set -euo pipefail
APP="${1:?usage: make-dmg.sh APP DMG}"
DMG="${2:?usage: make-dmg.sh APP DMG}"
VOLUME="Codex Link"

say() { printf '==> %s\n' "$*" >&2; }

[ -d "$APP" ] || { echo "no app bundle at $APP" >&2; exit 1; }

SIGNED=0
if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
    # PyInstaller signed every binary and the bundle during the build (the spec passes this
    # identity and entitlements.plist: hardened runtime, secure time stamp): check it.
    say "codesign: checking the signature of $APP ('$MACOS_SIGN_IDENTITY')"
    codesign --verify --deep --strict --verbose=2 "$APP"
    SIGNED=1
else
    say "codesign: skipped: not configured (set MACOS_SIGN_IDENTITY to sign)"
fi

say "hdiutil: packing $APP into $DMG"
STAGE="$(mktemp -d "${TMPDIR:-/tmp}/codex-link-dmg.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT
ditto "$APP" "$STAGE/$(basename "$APP")"  # keeps symlinks and signatures
ln -s /Applications "$STAGE/Applications"
mkdir -p "$(dirname "$DMG")"
rm -f "$DMG"
hdiutil create -volname "$VOLUME" -srcfolder "$STAGE" -ov -format UDZO -fs HFS+ "$DMG"

if [ "$SIGNED" = 1 ]; then
    codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$DMG"
fi

if [ "$SIGNED" = 1 ] && [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
    say "notarytool: submitting $DMG (waits for Apple's answer)"
    xcrun notarytool submit "$DMG" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
        --password "$APPLE_APP_PASSWORD" --wait
    say "stapler: attaching the notarization ticket"
    xcrun stapler staple "$DMG"
    xcrun stapler validate "$DMG"
else
    say "notarization: skipped: not configured (needs signing and APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD)"
fi
say "built $DMG"
