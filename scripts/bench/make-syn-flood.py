#!/usr/bin/env python3
"""make-syn-flood.py OUT [COUNT] [PORT] — a pcap of COUNT (default 1,000,000) TCP SYNs from distinct
sources, for checking that flow state stays bounded (issue 8). Written offline with struct; no network.

Each frame: Ethernet II + IPv4 (20 bytes) + TCP SYN with MSS, SACK-permitted, timestamps, NOP,
window scale (20 bytes of options): 74 bytes, correct IPv4 and TCP checksums. Source i is
10.(i>>16 & 255).(i>>8 & 255).(i & 255) + 1 inside 10.0.0.0/8 (distinct up to 16.7 M), source port
varies, destination 203.0.113.20:PORT (default 443, the port ssmpath keeps flows for). One SYN every
10 µs, so the whole flood spans 10 s (idle timeouts never fire; only the flow-count limit does).
"""
import struct
import sys

def ones_complement_sum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    return total

def fold(total: int) -> int:
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total

def main() -> int:
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    port = int(sys.argv[3]) if len(sys.argv) > 3 else 443
    if count > 0xFFFFFE:
        print("make-syn-flood.py: at most 16777214 distinct sources", file=sys.stderr)
        return 2
    dst = bytes([203, 0, 113, 20])
    eth = bytes.fromhex("02000000000202000000000108 00".replace(" ", ""))  # dst MAC, src MAC, IPv4
    # TCP options (RFC 9293 §3.2, RFC 7323, RFC 2018): MSS 1460, SACK permitted, TS, NOP, WS 7.
    options = struct.pack("!BBH", 2, 4, 1460) + bytes([4, 2]) + struct.pack("!BBII", 8, 10, 0, 0) \
        + bytes([1]) + bytes([3, 3, 7])
    tcp_length = 20 + len(options)
    ip_total = 20 + tcp_length
    base_seconds = 1_767_225_600  # 2026-01-01T00:00:00Z
    with open(out, "wb", buffering=1 << 20) as f:
        # pcap global header (microsecond, LINKTYPE_ETHERNET, snaplen 262144)
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        record = struct.Struct("<IIII")
        for i in range(count):
            n = i + 1
            src = bytes([10, (n >> 16) & 255, (n >> 8) & 255, n & 255])
            sport = 1024 + (i % 64000)
            seq = (i * 2654435761) & 0xFFFFFFFF
            # IPv4 header (RFC 791 §3.1): version/IHL, TOS, total length, id, flags(DF), TTL 64, proto 6.
            ip_wo_csum = struct.pack("!BBHHHBBH4s4s", 0x45, 0, ip_total, i & 0xFFFF, 0x4000, 64, 6, 0, src, dst)
            ip_csum = (~fold(ones_complement_sum(ip_wo_csum))) & 0xFFFF
            ip = ip_wo_csum[:10] + struct.pack("!H", ip_csum) + ip_wo_csum[12:]
            # TCP header: ports, seq, ack 0, data offset, flags SYN, window, checksum, urgent.
            tcp_wo_csum = struct.pack("!HHIIBBHHH", sport, port, seq, 0, (tcp_length // 4) << 4, 0x02, 64240, 0, 0) \
                + options[:8] + struct.pack("!I", i & 0xFFFFFFFF) + options[12:]
            pseudo = src + dst + struct.pack("!BBH", 0, 6, tcp_length)
            tcp_csum = (~fold(ones_complement_sum(pseudo + tcp_wo_csum))) & 0xFFFF
            tcp = tcp_wo_csum[:16] + struct.pack("!H", tcp_csum) + tcp_wo_csum[18:]
            frame = eth + ip + tcp
            micros = i * 10
            f.write(record.pack(base_seconds + micros // 1_000_000, micros % 1_000_000, len(frame), len(frame)))
            f.write(frame)
    return 0

if __name__ == "__main__":
    sys.exit(main())
