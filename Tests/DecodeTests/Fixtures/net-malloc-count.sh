#!/bin/bash
# Counts malloc calls made by PacketDecoder.decode over real captures (not part of swift test: SwiftPM
# cannot interpose malloc). Builds Capture+Decode with swiftc -O in a temp dir, preloads a counting
# malloc shim, decodes every frame of each capture given and prints mallocs per capture, then times
# 20 more rounds of decoding (no counting) and prints thread CPU nanoseconds per frame.
# Usage (from the package root): Tests/DecodeTests/Fixtures/net-malloc-count.sh CAPTURE.pcap...
set -euo pipefail
ROOT=$(pwd); WORK=$(mktemp -d /tmp/netdecode-malloc.XXXXXX); trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
cat > count.c <<'C'
#include <stddef.h>
#include <stdatomic.h>
extern void *__libc_malloc(size_t); extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t); extern void __libc_free(void *);
static atomic_long counting = 0, count = 0;
void netdecode_count_start(void) { atomic_store(&count, 0); atomic_store(&counting, 1); }
long netdecode_count_stop(void) { atomic_store(&counting, 0); return atomic_load(&count); }
void *malloc(size_t n) { if (atomic_load(&counting)) atomic_fetch_add(&count, 1); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { if (atomic_load(&counting)) atomic_fetch_add(&count, 1); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { if (atomic_load(&counting)) atomic_fetch_add(&count, 1); return __libc_realloc(p, n); }
int posix_memalign(void **out, size_t align, size_t n) {
    extern void *__libc_memalign(size_t, size_t) __attribute__((weak));
    if (atomic_load(&counting)) atomic_fetch_add(&count, 1);
    void *p = __libc_memalign(align, n); if (!p) return 12; *out = p; return 0; }
void *aligned_alloc(size_t align, size_t n) { if (atomic_load(&counting)) atomic_fetch_add(&count, 1); extern void *__libc_memalign(size_t, size_t); return __libc_memalign(align, n); }
C
cat > main.swift <<'SWIFT'
import Foundation
import Capture
import Decode

typealias StartFn = @convention(c) () -> Void
typealias StopFn = @convention(c) () -> Int
let handle = dlopen(nil, RTLD_NOW)
guard let s = dlsym(handle, "netdecode_count_start"), let t = dlsym(handle, "netdecode_count_stop") else { fatalError("no counter (LD_PRELOAD?)") }
let start = unsafeBitCast(s, to: StartFn.self), stop = unsafeBitCast(t, to: StopFn.self)

var totalPackets = 0, totalDecoded = 0, totalMallocs = 0, checksum = 0
var totalNanoseconds: Int64 = 0
for path in CommandLine.arguments.dropFirst() {
    guard let file = TestPcapFile(url: URL(fileURLWithPath: path)) else { continue }
    // Concatenate all frames into one buffer so that the measured loop touches no arrays of arrays.
    var flat: [UInt8] = []
    var spans: [(Int, Int, Int)] = []
    for p in file.packets { spans.append((flat.count, p.bytes.count, p.originalLength)); flat += p.bytes }
    var decoder = PacketDecoder()
    let linkType = LinkType(rawValue: file.linkType)
    flat.withUnsafeBytes { all in
        spans.withUnsafeBufferPointer { spans in
            var decoded = 0
            start()
            for (i, span) in spans.enumerated() {
                let bytes = UnsafeRawBufferPointer(rebasing: all[span.0..<(span.0 + span.1)])
                let record = PacketRecord(timestamp: Timestamp(nanoseconds: Int64(i)), ref: PacketRef(fileIndex: 0, number: Int64(i + 1)),
                                          linkType: linkType, bytes: bytes, originalLength: span.2)
                if decoder.decode(record) != nil { decoded += 1 }
            }
            let mallocs = stop()
            // Timing pass: 20 rounds, a fresh decoder each.
            // Thread CPU time, not wall time: the machine is shared.
            func cpuNanoseconds() -> Int64 {
                var ts = timespec()
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
                return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
            }
            let before = cpuNanoseconds()
            for _ in 0..<20 {
                var timed = PacketDecoder()
                for (i, span) in spans.enumerated() {
                    let bytes = UnsafeRawBufferPointer(rebasing: all[span.0..<(span.0 + span.1)])
                    let record = PacketRecord(timestamp: Timestamp(nanoseconds: Int64(i)), ref: PacketRef(fileIndex: 0, number: Int64(i + 1)),
                                              linkType: linkType, bytes: bytes, originalLength: span.2)
                    if let packet = timed.decode(record) { checksum &+= packet.payloadLength }
                }
            }
            let elapsedNanoseconds = cpuNanoseconds() - before
            let fileNanoseconds = elapsedNanoseconds
            totalNanoseconds += fileNanoseconds
            if spans.count > 0 { print("  \(fileNanoseconds / Int64(spans.count * 20)) ns per frame") }
            totalPackets += spans.count; totalDecoded += decoded; totalMallocs += mallocs
            print("\(mallocs) mallocs, \(spans.count) frames, \(decoded) decoded, frags held \(decoder.anomalies.fragmentsHeld): \((path as NSString).lastPathComponent)")
        }
    }
}
print("TOTAL \(totalMallocs) mallocs for \(totalPackets) frames (\(totalDecoded) decoded)")
print("TIME \(totalPackets > 0 ? totalNanoseconds / Int64(totalPackets * 20) : 0) ns CPU per frame (-O, 20 rounds; checksum \(checksum))")
SWIFT
cc -O2 -shared -fPIC -o libcount.so count.c
swiftc -O -parse-as-library -emit-module -emit-library -static -module-name Capture "$ROOT"/Sources/Capture/PacketRecord.swift -o libCapture.a -emit-module-path Capture.swiftmodule
swiftc -O -parse-as-library -emit-module -emit-library -static -module-name Decode -I . $(find "$ROOT"/Sources/Decode -name "*.swift") -o libDecode.a -emit-module-path Decode.swiftmodule
swiftc -O -I . main.swift "$ROOT"/Tests/DecodeTests/TestPcapReader.swift libDecode.a libCapture.a -o measure
cd "$ROOT"
ARGS=(); for f in "$@"; do ARGS+=("$(realpath "$f")"); done
LD_PRELOAD="$WORK/libcount.so" "$WORK/measure" "${ARGS[@]}"
