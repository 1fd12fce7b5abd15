#!/usr/bin/env python3
"""extract-seeds.py OUTDIR [CAPTURE_OR_DIR ...] — seed corpora for the fuzz targets, cut out of real
captures with tshark (selection and payloads) and a small pcap reader (whole frames).

Writes OUTDIR/<Target>/<sha1 of seed> for:
  FuzzDNS            DNS messages (UDP payloads; TCP messages without their 2-byte length)
  FuzzClientHello    the client's first TLS bytes of a connection (reassembled when split)
  FuzzServerRecords  2 split bytes + the server's first TLS bytes of a connection (a few segments)
  FuzzHTTPConnect    1 cut byte + a CONNECT request or a proxy's response head
  FuzzPacketDecoder  1 selector byte (link type) + frames as (16-bit length, bytes) chunks
  FuzzPipeline       small pcap files: the first packets of each capture
plus a few hand-written seeds (SSM names, CONNECT to the SSM endpoint). Seeds are derived from the
given captures at run time and are not committed (they come from other projects' test data).

Default sources: /work/shared/corpus/captures, the repo's Captures/ and Tests/*/Fixtures/.
Bounded: at most SEEDS_PER_TARGET seeds per target, tshark runs with a 60 s timeout per file.
"""
import gzip
import hashlib
import os
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

SEEDS_PER_TARGET = 3000
MAX_SEED_BYTES = 16384
PIPELINE_PACKETS = 40
PIPELINE_MAX_BYTES = 65536
CAPTURE_SUFFIXES = (".pcap", ".pcapng", ".cap", ".pcap.gz", ".pcapng.gz")

# Selector byte of FuzzPacketDecoder for each libpcap link type (index into its linkTypeTable).
LINK_SELECTOR = {1: 0, 113: 3, 276: 4, 12: 5, 101: 6, 228: 7, 229: 8, 0: 9, 108: 10, 14: 11}

FIELDS = ["frame.number", "frame.protocols", "tcp.stream", "tcp.srcport", "tcp.dstport", "udp.srcport",
          "udp.dstport", "udp.payload", "tcp.payload", "tcp.reassembled.data", "tls.handshake.type",
          "http.request.method", "http.response.code"]


class Seeds:
    def __init__(self, outdir: Path):
        self.outdir = outdir
        self.counts = {}

    def add(self, target: str, data: bytes) -> None:
        if not data or len(data) > MAX_SEED_BYTES and target != "FuzzPipeline":
            return
        if self.counts.get(target, 0) >= SEEDS_PER_TARGET:
            return
        directory = self.outdir / target
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / hashlib.sha1(data).hexdigest()
        if not path.exists():
            path.write_bytes(data)
            self.counts[target] = self.counts.get(target, 0) + 1


# MARK: - Reading captures

def read_pcap(path: Path):
    """Yields (linktype, frame bytes) from a classic pcap file; stops quietly at a damaged record."""
    data = path.read_bytes()
    if len(data) < 24:
        return
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        return
    linktype = struct.unpack(endian + "I", data[20:24])[0] & 0x0FFFFFFF
    offset = 24
    while offset + 16 <= len(data):
        _, _, caplen, _ = struct.unpack(endian + "IIII", data[offset:offset + 16])
        offset += 16
        if caplen > 262144 or offset + caplen > len(data):
            return
        yield linktype, data[offset:offset + caplen]
        offset += caplen


def as_classic_pcap(capture: Path, scratch: Path) -> Path | None:
    """The capture as a classic pcap (editcap converts pcapng and gzip); None if it cannot."""
    out = scratch / "converted.pcap"
    result = subprocess.run(["editcap", "-F", "pcap", str(capture), str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
    return out if result.returncode == 0 and out.exists() else None


def tshark_rows(capture: Path):
    command = ["tshark", "-n", "-r", str(capture), "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a"]
    for field in FIELDS:
        command += ["-e", field]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return
    for line in result.stdout.splitlines():
        values = line.split("\t")
        if len(values) == len(FIELDS):
            yield dict(zip(FIELDS, values))


def unhex(text: str) -> bytes:
    text = text.split(",")[0].replace(":", "")
    try:
        return bytes.fromhex(text)
    except ValueError:
        return b""


# MARK: - Per capture

def extract(capture: Path, seeds: Seeds, scratch: Path) -> None:
    chosen_frames = set()
    protocol_stacks = {}
    server_bytes = {}   # tcp.stream -> bytearray of the server's first payloads
    server_segments = {}
    connect_streams = set()
    dns_frames = hello_frames = 0   # frames kept for FuzzPacketDecoder, at most 10 of each per capture
    for row in tshark_rows(capture):
        number = int(row["frame.number"] or 0)
        stack = row["frame.protocols"]
        if protocol_stacks.get(stack, 0) < 3:
            protocol_stacks[stack] = protocol_stacks.get(stack, 0) + 1
            chosen_frames.add(number)
        tcp_payload = unhex(row["tcp.payload"])
        handshake_types = row["tls.handshake.type"].split(",")
        # DNS
        if ":dns" in stack:
            if row["udp.payload"]:
                seeds.add("FuzzDNS", unhex(row["udp.payload"]))
                if dns_frames < 10:
                    dns_frames += 1
                    chosen_frames.add(number)
            elif len(tcp_payload) > 2:
                seeds.add("FuzzDNS", tcp_payload[2:])
        # TLS
        if "1" in handshake_types:
            seeds.add("FuzzClientHello", unhex(row["tcp.reassembled.data"]) or tcp_payload)
            if hello_frames < 10:
                hello_frames += 1
                chosen_frames.add(number)
        stream = row["tcp.stream"]
        if tcp_payload and stream and (row["tcp.srcport"] == "443" or "2" in handshake_types):
            if server_segments.get(stream, 0) < 6:
                server_segments[stream] = server_segments.get(stream, 0) + 1
                server_bytes.setdefault(stream, bytearray()).extend(tcp_payload)
        # HTTP CONNECT
        if row["http.request.method"].startswith("CONNECT") and tcp_payload:
            seeds.add("FuzzHTTPConnect", bytes([len(tcp_payload) // 2 & 0xFF]) + tcp_payload)
            connect_streams.add(stream)
        elif row["http.response.code"] and stream in connect_streams and tcp_payload:
            seeds.add("FuzzHTTPConnect", bytes([7]) + tcp_payload)
    for data in server_bytes.values():
        data = bytes(data[:MAX_SEED_BYTES - 2])
        seeds.add("FuzzServerRecords", struct.pack("!H", len(data) // 2) + data)

    pcap = as_classic_pcap(capture, scratch)
    if pcap is None:
        return
    first_packets = []
    sequence = []
    for number, (linktype, frame) in enumerate(read_pcap(pcap), start=1):
        if number <= PIPELINE_PACKETS:
            first_packets.append((linktype, frame))
        selector = LINK_SELECTOR.get(linktype)
        if selector is None or number not in chosen_frames or len(frame) > 0xFFFF:
            continue
        seeds.add("FuzzPacketDecoder", bytes([selector]) + struct.pack("!H", len(frame)) + frame)
        if len(sequence) < 4:
            sequence.append(frame)
            if len(sequence) == 4:
                seeds.add("FuzzPacketDecoder", bytes([selector]) + b"".join(
                    struct.pack("!H", len(f)) + f for f in sequence))
    if first_packets:
        linktype = first_packets[0][0]
        out = bytearray(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype))
        for index, (_, frame) in enumerate(first_packets):
            if len(out) + 16 + len(frame) > PIPELINE_MAX_BYTES:
                break
            out += struct.pack("<IIII", 1_767_225_600 + index, 0, len(frame), len(frame)) + frame
        seeds.add("FuzzPipeline", bytes(out))
        if seeds.counts.get("FuzzPipeline", 0) % 10 == 1:  # some gzipped, as customers send them
            seeds.add("FuzzPipeline", gzip.compress(bytes(out), mtime=0))


# MARK: - Hand-written seeds

def dns_query(name: str, qtype: int) -> bytes:
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
    return struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + labels + struct.pack("!HH", qtype, 1)


def hand_written(seeds: Seeds) -> None:
    for service in ("ssm", "ssmmessages", "ec2messages"):
        name = f"{service}.ap-northeast-1.amazonaws.com"
        seeds.add("FuzzDNS", dns_query(name, 1))
        seeds.add("FuzzDNS", dns_query(name, 28))
        request = f"CONNECT {name}:443 HTTP/1.1\r\nHost: {name}:443\r\nUser-Agent: amazon-ssm-agent\r\n\r\n".encode()
        seeds.add("FuzzHTTPConnect", bytes([40]) + request)
    seeds.add("FuzzHTTPConnect", bytes([9]) + b"HTTP/1.1 200 Connection established\r\n\r\n")
    seeds.add("FuzzHTTPConnect", bytes([12]) + b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
    seeds.add("FuzzHTTPConnect", bytes([3]) + b"CONNECT [fd00:ec2::253]:443 HTTP/1.1\r\n\r\n")
    # A TLS alert and a bare ServerHello-like record header, for the walker.
    seeds.add("FuzzServerRecords", b"\x00\x03" + b"\x15\x03\x03\x00\x02\x02\x28")
    seeds.add("FuzzServerRecords", b"\x00\x00" + b"\x16\x03\x03\x00\x04\x02\x00\x00\x00")


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    outdir = Path(sys.argv[1])
    repo = Path(__file__).resolve().parent.parent
    sources = [Path(p) for p in sys.argv[2:]] or [
        Path("/work/shared/corpus/captures"), repo / "Captures", *sorted(repo.glob("Tests/*/Fixtures"))]
    captures = []
    for source in sources:
        if source.is_dir():
            captures += sorted(p for p in source.rglob("*") if p.name.endswith(CAPTURE_SUFFIXES))
        elif source.is_file():
            captures.append(source)
    seeds = Seeds(outdir)
    hand_written(seeds)
    with tempfile.TemporaryDirectory(prefix="ssmpath-seeds.") as scratch:
        for capture in captures:
            if capture.stat().st_size > 64 * 1024 * 1024:
                continue  # the big benchmark captures add nothing new and take long
            extract(capture, seeds, Path(scratch))
    summary = ", ".join(f"{target} {count}" for target, count in sorted(seeds.counts.items()))
    print(f"extract-seeds: {len(captures)} captures → {summary}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
