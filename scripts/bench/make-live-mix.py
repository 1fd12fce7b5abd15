#!/usr/bin/env python3
"""make-live-mix.py CAPTURE OUT [COUNT] — the replay file for the live benchmark: the first COUNT
(default 200,000) packets of the lab capture, keeping every packet under 1000 bytes (DNS, handshakes,
ACKs, short connections) and one in four full-size bulk data frames, so the mix is real traffic with
an average frame near that of a busy instance rather than a pure bulk transfer. Classic pcap in and out."""
import struct
import sys

def main() -> int:
    source, out = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 200_000
    kept = big = 0
    with open(source, "rb") as f, open(out, "wb") as o:
        header = f.read(24)
        magic = header[:4]
        endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
        o.write(header)
        record = struct.Struct(endian + "IIII")
        while kept < count:
            head = f.read(16)
            if len(head) < 16:
                break
            _, _, caplen, _ = record.unpack(head)
            frame = f.read(caplen)
            if len(frame) < caplen:
                break
            if caplen >= 1000:
                big += 1
                if big % 4:
                    continue
            o.write(head + frame)
            kept += 1
    print(f"make-live-mix: {kept} packets", file=sys.stderr)
    return 0

if __name__ == "__main__":
    sys.exit(main())
