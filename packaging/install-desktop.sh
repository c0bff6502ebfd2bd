#!/usr/bin/env sh
# Register Tunewise with the Linux desktop for the current user: launcher entry, icon, and the
# .tunewise file type. Run after `make package`; pass the bundle folder to use another one.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
bundle=${1:-"$here/dist/Tunewise"}
data=${XDG_DATA_HOME:-"$HOME/.local/share"}

if [ ! -x "$bundle/Tunewise" ]; then
    echo "install-desktop: no bundle at $bundle; run 'make package' first." >&2
    exit 2
fi
mkdir -p "$data/applications" "$data/mime/packages" "$data/icons/hicolor/256x256/apps" \
         "$data/icons/hicolor/scalable/apps"
sed "s|^Exec=Tunewise|Exec=\"$bundle/Tunewise\"|; s|^TryExec=Tunewise|TryExec=$bundle/Tunewise|" \
    "$here/resources/desktop/tunewise.desktop" > "$data/applications/tunewise.desktop"
cp "$here/resources/desktop/tunewise-mime.xml" "$data/mime/packages/tunewise.xml"
cp "$here/resources/icons/tunewise.png" "$data/icons/hicolor/256x256/apps/tunewise.png"
cp "$here/resources/icons/tunewise.svg" "$data/icons/hicolor/scalable/apps/tunewise.svg"
command -v update-mime-database >/dev/null && update-mime-database "$data/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
echo "Installed Tunewise for $(id -un): launcher, icon and the .tunewise file type."
