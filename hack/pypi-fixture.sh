#!/usr/bin/env bash
# Builds the wheels the end-to-end tests serve from their loopback Python
# package index (PyPI cannot be reached here): humanize 4.4.0 and six 1.16.0,
# repacked from Debian's python3-humanize and python3-six, which ship the
# packages' own code. Prints the directory holding the wheels.
set -euo pipefail
. "$(dirname "$0")/versions.sh"
out=$BKL_HOME/pypi
mkdir -p "$out"

wheel() { # wheel DEB_PACKAGE NAME VERSION PATH_IN_DIST_PACKAGES
	local deb=$1 name=$2 version=$3 path=$4
	local whl=$out/$name-$version-py3-none-any.whl
	[ -s "$whl" ] && return
	local tmp
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -qq "$deb" 2>/dev/null || { apt-get update -qq && apt-get download -qq "$deb"; })
	dpkg-deb -x "$tmp"/"$deb"_*.deb "$tmp/x"
	python3 - "$tmp/x/usr/lib/python3/dist-packages" "$path" "$name" "$version" "$whl" <<'PY'
import base64, hashlib, os, sys, zipfile
src, path, name, version, whl = sys.argv[1:]
info = f"{name}-{version}.dist-info"
files = {}
full = os.path.join(src, path)
if os.path.isdir(full):
    for root, _, names in os.walk(full):
        for n in sorted(names):
            if n.endswith(".pyc"):
                continue
            p = os.path.join(root, n)
            files[os.path.relpath(p, src)] = open(p, "rb").read()
else:
    files[path] = open(full, "rb").read()
files[f"{info}/METADATA"] = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
files[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: buildkit-lambda hack/pypi-fixture.sh\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
record = []
for n, data in sorted(files.items()):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    record.append(f"{n},sha256={digest},{len(data)}")
record.append(f"{info}/RECORD,,")
files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
with zipfile.ZipFile(whl, "w", zipfile.ZIP_DEFLATED) as z:
    for n, data in sorted(files.items()):
        z.writestr(zipfile.ZipInfo(n, (1980, 1, 1, 0, 0, 0)), data)
PY
	rm -rf "$tmp"
}

wheel python3-humanize humanize 4.4.0 humanize
wheel python3-six six 1.16.0 six.py
echo "$out"
