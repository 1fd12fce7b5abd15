// swift-tools-version:6.1
// ssmpath: which path the SSM agent's HTTPS traffic takes, read from packet captures.
//
// The pipeline, one target per stage; each stage imports only the stage before it:
//   CPcap/CZlib (C) → Capture → Decode → Flows → Correlate → Report → ssmpath (CLI)
import PackageDescription

let package = Package(
    name: "ssmpath",
    products: [
        .executable(name: "ssmpath", targets: ["ssmpath"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: - C libraries
        .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // MARK: - Pipeline stages
        /// Capture: libpcap files (pcap, pcapng, gzip) and live interfaces; packets in time order.
        .target(name: "Capture", dependencies: ["CPcap", "CZlib"]),
        /// Decode: link, IP, TCP/UDP; DNS, TLS handshake, HTTP CONNECT. Views over packet bytes.
        .target(name: "Decode", dependencies: ["Capture"]),
        /// Flows: TCP state, first-bytes reassembly, DNS transactions. Bounded state.
        .target(name: "Flows", dependencies: ["Decode"]),
        /// Correlate: endpoint catalog, resolver class, DNS→flow match, labels, findings, verdict.
        .target(name: "Correlate", dependencies: ["Flows"]),
        /// Report: text, Markdown, HTML, JSON; English and Japanese.
        .target(name: "Report", dependencies: ["Correlate"]),

        // MARK: - Command line
        .executableTarget(
            name: "ssmpath",
            dependencies: [
                "Capture", "Decode", "Flows", "Correlate", "Report",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests
        .testTarget(name: "CaptureTests", dependencies: ["Capture"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DecodeTests", dependencies: ["Decode"], resources: [.copy("Fixtures")]),
        .testTarget(name: "FlowsTests", dependencies: ["Flows"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CorrelateTests", dependencies: ["Correlate"]),
        .testTarget(name: "ReportTests", dependencies: ["Report"], resources: [.copy("Golden")]),
        .testTarget(name: "EndToEndTests", dependencies: ["ssmpath"]),
    ],
    swiftLanguageModes: [.v6]
)
