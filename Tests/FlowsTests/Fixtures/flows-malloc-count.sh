#!/bin/bash
# Counts malloc calls made by FlowTracker.process (not part of swift test: SwiftPM cannot interpose
# malloc). Builds Capture+Decode+Flows with swiftc -O in a temp dir and preloads a counting malloc shim.
#  1. Synthetic: 1,000 TLS flows (real curl ClientHello and openssl server flight from the fixtures)
#     are set up; then 100 more data packets on each flow are counted: the established-flow path.
#  2. Each pcap given: frames decoded beforehand, then every process() call counted and timed
#     (thread CPU time, 5 rounds).
# Usage (from the package root): Tests/FlowsTests/Fixtures/flows-malloc-count.sh [CAPTURE.pcap...]
set -euo pipefail
ROOT=$(pwd); WORK=$(mktemp -d /tmp/flows-malloc.XXXXXX); [ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT; echo "work dir $WORK"
cd "$WORK"
cat > count.c <<'C'
#include <stddef.h>
#include <stdatomic.h>
extern void *__libc_malloc(size_t); extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t); extern void *__libc_memalign(size_t, size_t);
static atomic_long counting = 0, count = 0;
void flows_count_start(void) { atomic_store(&count, 0); atomic_store(&counting, 1); }
long flows_count_stop(void) { atomic_store(&counting, 0); return atomic_load(&count); }
void *malloc(size_t n) { if (atomic_load(&counting)) atomic_fetch_add(&count, 1); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { if (atomic_load(&counting)) atomic_fetch_add(&count, 1); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { if (atomic_load(&counting)) atomic_fetch_add(&count, 1); return __libc_realloc(p, n); }
int posix_memalign(void **out, size_t align, size_t n) {
    if (atomic_load(&counting)) atomic_fetch_add(&count, 1);
    void *p = __libc_memalign(align, n); if (!p) return 12; *out = p; return 0; }
void *aligned_alloc(size_t align, size_t n) { if (atomic_load(&counting)) atomic_fetch_add(&count, 1); return __libc_memalign(align, n); }
C
cat > main.swift <<'SWIFT'
import Foundation
import Capture
import Decode
import Flows

typealias StartFn = @convention(c) () -> Void
typealias StopFn = @convention(c) () -> Int
let handle = dlopen(nil, RTLD_NOW)
guard let s = dlsym(handle, "flows_count_start"), let t = dlsym(handle, "flows_count_stop") else { fatalError("no counter (LD_PRELOAD?)") }
let start = unsafeBitCast(s, to: StartFn.self), stop = unsafeBitCast(t, to: StopFn.self)
func cpuNanoseconds() -> Int64 {
    var ts = timespec(); clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

// MARK: 1. Established flows
let fixtures = CommandLine.arguments[1]
let hello = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixtures + "/curl-tls13-client-stream.bin")))
let helloLength = 5 + (Int(hello[3]) << 8 | Int(hello[4]))
let serverFlight = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixtures + "/curl-tls13-server-stream.bin")))
let tracker = FlowTracker(retainFlow: { _ in true })
var frame: Int64 = 0
var nanos: Int64 = 1_764_000_000_000_000_000
func send(_ from: IPAddress, _ fromPort: UInt16, _ to: IPAddress, _ toPort: UInt16, _ flags: TCPFlags, _ seq: UInt32, _ ack: UInt32,
          _ payload: UnsafeRawBufferPointer) {
    frame += 1; nanos += 10_000
    let header = TCPHeaderFields(sourcePort: fromPort, destinationPort: toPort, sequenceNumber: seq, acknowledgementNumber: ack,
                                 flags: flags, window: 512, options: TCPOptions())
    tracker.process(DecodedPacket(timestamp: Timestamp(nanoseconds: nanos), ref: PacketRef(fileIndex: 0, number: frame),
                                  source: from, destination: to, transport: .tcp(header), payload: payload,
                                  payloadLength: payload.count, frameLength: 54 + payload.count))
}
let client = IPAddress.v4(0x0A00_0005), server = IPAddress.v4(0xCB00_710A)
let empty = UnsafeRawBufferPointer(start: nil, count: 0)
let data = [UInt8](repeating: 0x17, count: 1_200)
var next: [(UInt32, UInt32)] = []
for i in 0..<1_000 {
    let port = UInt16(20_000 + i), cisn = UInt32(1_000 * i), sisn = UInt32(7_000_000 + i)
    send(client, port, server, 443, .syn, cisn, 0, empty)
    send(server, 443, client, port, [.syn, .ack], sisn, cisn &+ 1, empty)
    send(client, port, server, 443, .ack, cisn &+ 1, sisn &+ 1, empty)
    hello.withUnsafeBytes { send(client, port, server, 443, [.ack, .psh], cisn &+ 1, sisn &+ 1, UnsafeRawBufferPointer(rebasing: $0[0..<helloLength])) }
    serverFlight.withUnsafeBytes { send(server, 443, client, port, [.ack, .psh], sisn &+ 1, cisn &+ 1 &+ UInt32(helloLength), $0) }
    next.append((cisn &+ 1 &+ UInt32(helloLength), sisn &+ 1 &+ UInt32(serverFlight.count)))
}
data.withUnsafeBytes { bytes in
    start()
    let before = cpuNanoseconds()
    for round in 0..<100 {
        for i in 0..<1_000 {
            let port = UInt16(20_000 + i)
            let (c, s) = next[i]
            let offset = UInt32(round * data.count)
            send(client, port, server, 443, [.ack, .psh], c &+ offset, s &+ offset, bytes)
            send(server, 443, client, port, [.ack, .psh], s &+ offset, c &+ offset &+ UInt32(data.count), bytes)
        }
    }
    let elapsed = cpuNanoseconds() - before
    let mallocs = stop()
    print("established: \(mallocs) mallocs for 200000 packets on 1000 flows; \(elapsed / 200_000) ns CPU per packet")
}
let synthetic = tracker.finish(decodeAnomalies: DecodeAnomalies())
print("  (\(synthetic.flows.count) flows, \(synthetic.flows.filter { $0.tls == .established }.count) established)")

// MARK: 2. Captures
for path in CommandLine.arguments.dropFirst(2) {
    guard let file = TestPcapFile(url: URL(fileURLWithPath: path)) else { continue }
    struct Stored { var packet: DecodedPacket; var offset: Int; var count: Int }
    var flat: [UInt8] = []
    var stored: [Stored] = []
    var decoder = PacketDecoder()
    for (i, p) in file.packets.enumerated() {
        p.bytes.withUnsafeBytes { bytes in
            let record = PacketRecord(timestamp: Timestamp(seconds: p.seconds, nanoseconds: p.subsecondNanoseconds),
                                      ref: PacketRef(fileIndex: 0, number: Int64(i + 1)), linkType: LinkType(rawValue: file.linkType),
                                      bytes: bytes, originalLength: p.originalLength)
            if let packet = decoder.decode(record) {
                stored.append(Stored(packet: packet, offset: flat.count, count: packet.payload.count))
                flat.append(contentsOf: packet.payload)
            }
        }
    }
    flat.withUnsafeBytes { all in
        func run(counting: Bool) -> (Int, FlowsResult) {
            let tracker = FlowTracker(retainFlow: { _ in true })
            if counting { start() }
            for item in stored {
                var packet = item.packet
                packet.payload = UnsafeRawBufferPointer(rebasing: all[item.offset..<(item.offset + item.count)])
                tracker.process(packet)
            }
            let mallocs = counting ? stop() : 0
            return (mallocs, tracker.finish(decodeAnomalies: DecodeAnomalies()))
        }
        let (mallocs, result) = run(counting: true)
        let before = cpuNanoseconds()
        for _ in 0..<5 { _ = run(counting: false) }
        let perPacket = stored.isEmpty ? 0 : (cpuNanoseconds() - before) / Int64(stored.count * 5)
        print("\(mallocs) mallocs, \(stored.count) packets, \(result.flows.count) flows, \(result.dns.count) DNS, "
              + "\(perPacket) ns CPU per packet (incl. finish): \((path as NSString).lastPathComponent)")
    }
}
SWIFT
cc -O2 -shared -fPIC -o libcount.so count.c
swiftc -O -wmo -parse-as-library -emit-module -emit-library -static -module-name Capture "$ROOT"/Sources/Capture/PacketRecord.swift -o libCapture.a -emit-module-path Capture.swiftmodule
swiftc -O -wmo -parse-as-library -emit-module -emit-library -static -module-name Decode -I . $(find "$ROOT"/Sources/Decode -name "*.swift") -o libDecode.a -emit-module-path Decode.swiftmodule
swiftc -O -wmo -parse-as-library -emit-module -emit-library -static -module-name Flows -I . $(find "$ROOT"/Sources/Flows -name "*.swift") -o libFlows.a -emit-module-path Flows.swiftmodule
swiftc -O -I . main.swift "$ROOT"/Tests/DecodeTests/TestPcapReader.swift libFlows.a libDecode.a libCapture.a -o measure
cd "$ROOT"
ARGS=(); for f in "$@"; do ARGS+=("$(realpath "$f")"); done
LD_PRELOAD="$WORK/libcount.so" "$WORK/measure" "$ROOT/Tests/FlowsTests/Fixtures" "${ARGS[@]}"
