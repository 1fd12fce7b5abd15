#!/usr/bin/env python3
"""DNS query noise for the benchmark lab: a bounded number of real queries to one resolver.

Usage: dns-noise.py RESOLVER COUNT [SEED]

Sends COUNT queries (A, AAAA, HTTPS, TXT, PTR) for random names to RESOLVER:53 over UDP, a few in
flight at a time, and reads the answers. Names are under the lab's own zones (lab.example answers,
noise.example says NXDOMAIN) plus a few SSM names, so the resolver answers every one from its own
configuration. Bounded in count and in time (120 s); only talks to the address it is given.
"""
import random
import select
import socket
import struct
import sys
import time

QTYPES = [1, 1, 1, 28, 28, 65, 16, 12]  # A, AAAA, HTTPS, TXT, PTR (weighted toward A/AAAA)
ZONES = ["noise.example", "noise.example", "lab.example", "corp.lab.example"]
SSM_NAMES = [
    "ssm.ap-northeast-1.amazonaws.com",
    "ssmmessages.ap-northeast-1.amazonaws.com",
    "ec2messages.ap-northeast-1.amazonaws.com",
]
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
IN_FLIGHT = 8
DEADLINE_SECONDS = 120


def encode_name(name: str) -> bytes:
    out = bytearray()
    for label in name.split("."):
        raw = label.encode("ascii")
        out.append(len(raw))
        out += raw
    out.append(0)
    return bytes(out)


def random_name(rng: random.Random) -> str:
    if rng.random() < 0.05:
        return rng.choice(SSM_NAMES)
    labels = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(3, 14))) for _ in range(rng.randint(1, 3))]
    return ".".join(labels + [rng.choice(ZONES)])


def query(qid: int, name: str, qtype: int) -> bytes:
    header = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)  # RD=1, one question (RFC 1035 §4.1.1)
    return header + encode_name(name) + struct.pack("!HH", qtype, 1)


def main() -> int:
    resolver, count = sys.argv[1], int(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(IN_FLIGHT)]
    for s in sockets:
        s.connect((resolver, 53))
        s.setblocking(False)
    sent = answered = lost = 0
    waiting = {}  # socket -> time sent
    deadline = time.monotonic() + DEADLINE_SECONDS
    while (sent < count or waiting) and time.monotonic() < deadline:
        for s in sockets:
            if s not in waiting and sent < count:
                s.send(query(rng.randrange(65536), random_name(rng), rng.choice(QTYPES)))
                waiting[s] = time.monotonic()
                sent += 1
        ready, _, _ = select.select(list(waiting), [], [], 0.2)
        for s in ready:
            try:
                s.recv(4096)
                answered += 1
            except OSError:
                lost += 1
            waiting.pop(s, None)
        now = time.monotonic()
        for s, t in list(waiting.items()):
            if now - t > 1.0:  # give up on this one; the socket is reused for the next query
                waiting.pop(s)
                lost += 1
    print(f"dns-noise: sent {sent}, answered {answered}, lost {lost}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
