#!/usr/bin/env bash
# Installs, on Debian, what ssmpath needs to build, test and run its labs: only what is missing.
# Idempotent and quick when everything is present (no apt-get update then). Run as root.
set -euo pipefail

missing=()
want() { # want PACKAGE: queue a Debian package once
    local package
    for package in "${missing[@]}"; do [[ $package == "$1" ]] && return 0; done
    missing+=("$1")
}
need_command() { command -v "$1" >/dev/null 2>&1 || want "$2"; }
need_library() { pkg-config --exists "$1" 2>/dev/null || want "$2"; }

# MARK: - Build: C libraries the Swift targets link (CPcap, CZlib)
need_command pkg-config pkgconf
need_library libpcap libpcap-dev
need_library zlib zlib1g-dev

# MARK: - Tests and labs
need_command tcpdump tcpdump            # loopback fixtures, live-capture tests
need_command tshark tshark              # reference decodes
for tool in capinfos editcap mergecap dumpcap; do need_command "$tool" wireshark-common; done
need_command dnsmasq dnsmasq-base       # lab DNS servers (binary only, no system service)
need_command tinyproxy tinyproxy-bin    # lab HTTP CONNECT proxy (binary only, no system service)
need_command openssl openssl
need_command curl curl
need_command chromium chromium          # renders the HTML report in tests
need_package() { dpkg -s "$1" >/dev/null 2>&1 || want "$1"; }
need_package fonts-noto-cjk   # Japanese glyphs in the HTML report screenshots
need_command ip iproute2                # network namespaces, veth pairs
need_command iptables iptables
need_command ethtool ethtool              # lab and bench: NIC offloads off, wire-sized frames
need_command tcpreplay tcpreplay          # bench: live replay
[[ -x /usr/bin/time ]] || want time       # bench: peak RSS
need_command gzip gzip
need_command python3 python3

if ! command -v swift >/dev/null 2>&1 && [[ ! -x /opt/swift/usr/bin/swift ]]; then
    echo "install-deps: no Swift toolchain (swift not on PATH, nothing at /opt/swift); install Swift 6 first" >&2
    exit 1
fi

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "install-deps: everything present"
    exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: missing ${missing[*]}; run as root: apt-get install ${missing[*]}" >&2
    exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
