#!/usr/bin/env bash
# Builds the binary to copy onto a test instance: dist/ssmpath-VERSION-linux-ARCH.tar.gz
#
#   scripts/dist.sh            (make dist)
#
# - Swift runtime and Foundation linked in (--static-swift-stdlib).
# - libpcap, its libdbus-1 and zlib linked in from Debian's static archives (libpcap0.8-dev,
#   libdbus-1-dev, zlib1g-dev), through linker scripts in .build/dist-link that `-lpcap` and
#   `-lz` find before the shared libraries. DIST_STATIC_PCAP=0 keeps them dynamic (the instance
#   then needs libpcap and zlib installed).
# - What stays dynamic: glibc (libc, libm), libstdc++, libgcc_s, and libsystemd.so.0 (libdbus-1.a
#   calls sd_listen_fds/sd_is_socket): present on every systemd distribution (Amazon Linux 2023:
#   systemd-libs, libstdc++; Ubuntu: libsystemd0, libstdc++6).
# Then: strip, a short README, the tarball; prints size, ldd, the newest glibc symbol version
# needed, and runs the binary with an empty environment (env -i, PATH without the toolchain) from
# /tmp on a lab capture.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
SWIFT=${SWIFT:-$(command -v swift || echo /opt/swift/usr/bin/swift)}
version=$(sed -n 's/.*static let version = "\([^"]*\)".*/\1/p' Sources/ssmpath/SSMPath.swift | head -1)
[[ -n $version ]] || { echo "dist: cannot read the version from Sources/ssmpath/SSMPath.swift" >&2; exit 1; }
arch=$(uname -m)
multiarch=$arch-linux-gnu
name=ssmpath-$version-linux-$arch
say() { printf '[dist] %s\n' "$*" >&2; }

# MARK: - Static C libraries through linker scripts

link_dir=$root/.build/dist-link
rm -rf "$link_dir"; mkdir -p "$link_dir"
link_flags=()
if [[ ${DIST_STATIC_PCAP:-1} == 1 ]]; then
    lib=/usr/lib/$multiarch
    systemd=$(ls /usr/lib/"$multiarch"/libsystemd.so.0 /lib/"$multiarch"/libsystemd.so.0 2>/dev/null | head -1 || true)
    for needed in "$lib/libpcap.a" "$lib/libdbus-1.a" "$lib/libz.a" "$systemd"; do
        [[ -n $needed && -e $needed ]] || { say "missing ${needed:-libsystemd.so.0}: apt install libpcap0.8-dev libdbus-1-dev zlib1g-dev, or DIST_STATIC_PCAP=0"; exit 1; }
    done
    # ld looks for libpcap.so before libpcap.a in each -L directory; a text file there is read as a
    # linker script, so `-lpcap` (from the CPcap module map) links these archives at its place.
    printf 'GROUP ( %s %s )\nINPUT ( %s )\n' "$lib/libpcap.a" "$lib/libdbus-1.a" "$systemd" >"$link_dir/libpcap.so"
    printf 'INPUT ( %s )\n' "$lib/libz.a" >"$link_dir/libz.so"
    # SwiftPM puts the -L of each system library's pkg-config file first (and ld takes the first
    # directory holding a match), so the .pc files seen here point at the scripts' directory
    # instead. Cflags as in Debian's own .pc files: the compile commands stay the same.
    mkdir -p "$link_dir/pkgconfig"
    for pc in libpcap:1.10 zlib:1.2; do
        printf 'Name: %s\nDescription: %s linked statically (scripts/dist.sh)\nVersion: %s\nLibs: -L%s -l%s\nCflags: -I/usr/include\n' \
            "${pc%%:*}" "${pc%%:*}" "${pc#*:}" "$link_dir" "$([[ ${pc%%:*} == zlib ]] && echo z || echo pcap)" \
            >"$link_dir/pkgconfig/${pc%%:*}.pc"
    done
    export PKG_CONFIG_PATH=$link_dir/pkgconfig
    link_flags=(-Xlinker -L"$link_dir")
    say "linking libpcap, libdbus-1 and zlib statically"
fi

# MARK: - Glibc 2.34 (Amazon Linux 2023)

# glibc 2.35 gave hypot and hypotf new default symbol versions, which the link picks up here
# (Debian 12, glibc 2.36); Amazon Linux 2023 has glibc 2.34. A definition of both in an object of
# our own takes every reference from the static archives, and calls the version that every glibc
# has exported since the architecture's first one. Hidden, so that the dynamic linker cannot bind
# that versioned call back to the definition (the binary exports its symbols); not --wrap, which
# would redirect the call to the wrapper itself.
case $arch in
    x86_64) glibc_base=GLIBC_2.2.5 ;;
    aarch64) glibc_base=GLIBC_2.17 ;;
    *) glibc_base="" ;;
esac
if [[ -n $glibc_base ]]; then
    cat >"$link_dir/glibc-compat.c" <<EOF
double ssmpath_glibc_hypot(double, double);
float ssmpath_glibc_hypotf(float, float);
__asm__(".symver ssmpath_glibc_hypot, hypot@$glibc_base");
__asm__(".symver ssmpath_glibc_hypotf, hypotf@$glibc_base");
__attribute__((visibility("hidden"))) double hypot(double x, double y) { return ssmpath_glibc_hypot(x, y); }
__attribute__((visibility("hidden"))) float hypotf(float x, float y) { return ssmpath_glibc_hypotf(x, y); }
EOF
    clang=$(dirname "$(readlink -f "$SWIFT")")/clang
    [[ -x $clang ]] || clang=cc
    "$clang" -O2 -fPIC -fno-builtin -c "$link_dir/glibc-compat.c" -o "$link_dir/glibc-compat.o"
    link_flags+=(-Xlinker "$link_dir/glibc-compat.o")
fi

# MARK: - Build

say "swift build -c release --static-swift-stdlib (a few minutes on a busy machine)"
built=$("$SWIFT" build -c release --show-bin-path)/ssmpath
rm -f "$built"     # always relink: SwiftPM does not see changes to the static archives or the .o above
"$SWIFT" build -c release --static-swift-stdlib --product ssmpath "${link_flags[@]}"

# MARK: - Package

stage=$root/dist/stage/$name
rm -rf "$root/dist/stage"; mkdir -p "$stage"
cp "$built" "$stage/ssmpath"
strip "$stage/ssmpath"
needs=$(readelf -d "$stage/ssmpath" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | grep -v '^ld-linux' | tr '\n' ' ')
cat >"$stage/README.txt" <<EOF
ssmpath $version (Linux $arch)

Which path the AWS Systems Manager agent's HTTPS traffic takes (VPC endpoint, NAT/internet,
proxy, or nowhere) and why, read from packets.

On a test instance (root, or after: sudo setcap cap_net_raw,cap_net_admin=eip ./ssmpath):
  sudo ./ssmpath interfaces                  # which interface to use (ens5, eth0, any)
  sudo ./ssmpath live -i ens5                # restart the agent meanwhile; Ctrl-C for the report
  sudo ./ssmpath live -i ens5 --write ssm.pcap --format html --output ssm.html
Anywhere, on a capture file (pcap, pcapng, .gz):
  ./ssmpath analyze capture.pcapng
  ./ssmpath analyze --format markdown --lang ja capture.pcap.gz

Shared libraries it needs (present on Amazon Linux 2023, Ubuntu, Debian): $needs
EOF
mkdir -p "$root/dist"
tarball=$root/dist/$name.tar.gz
tar -C "$root/dist/stage" -czf "$tarball" "$name"
rm -rf "$root/dist/stage"

# MARK: - Checks

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
tar -C "$tmp" -xzf "$tarball"
binary=$tmp/$name/ssmpath
say "$(du -h "$tarball" | cut -f1) $tarball; binary $(du -h "$binary" | cut -f1)"
ldd "$binary" >&2
if ldd "$binary" | grep -E 'libswift|libFoundation|libdispatch|libBlocksRuntime|not found' >&2; then
    say "error: the binary still needs the Swift runtime or a missing library"; exit 1
fi
if [[ ${DIST_STATIC_PCAP:-1} == 1 ]] && ldd "$binary" | grep -E 'libpcap|libz\.|libdbus' >&2; then
    say "error: libpcap/zlib/dbus are still dynamic"; exit 1
fi
glibc=$(objdump -T "$binary" | grep -o 'GLIBC_[0-9.]*' | sort -V -u | tail -1)
say "newest glibc symbol version needed: $glibc (Amazon Linux 2023 has 2.34, Ubuntu 22.04 2.35)"
if [[ $(printf '%s\n' "$glibc" GLIBC_2.34 | sort -V | tail -1) != GLIBC_2.34 ]]; then
    objdump -T "$binary" | grep -F "($glibc)" >&2
    say "error: needs a glibc newer than Amazon Linux 2023's 2.34"; exit 1
fi
capture=$root/Captures/02-domain-joined-timeout.pcapng
if [[ -f $capture ]]; then
    cp "$capture" "$tmp/"
    verdict=$(cd "$tmp" && env -i PATH=/usr/bin:/bin HOME="$tmp" "$binary" analyze --format json \
        02-domain-joined-timeout.pcapng | python3 -c 'import json, sys; print(json.load(sys.stdin)["verdict"]["code"])') || true
    say "clean environment (env -i, no toolchain on PATH), analyze 02: verdict ${verdict:-none}"
    [[ $verdict == resolver-bypasses-endpoint ]] || { say "error: unexpected verdict"; exit 1; }
fi
echo "$tarball"
