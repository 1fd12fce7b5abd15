// swift-tools-version:6.1
// Stage-by-stage timing of ssmpath's pipeline (scripts/bench/run.sh runs it after the whole-tool
// benchmark). A separate package so the main build is untouched; the stages are the main package's
// sources through symlinks (Sources/<Stage> → ../../Sources/<Stage>), as the root package exports
// no library product. Build: swift build -c release --package-path Benchmarks
import PackageDescription

let package = Package(
    name: "ssmpath-benchmarks",
    targets: [
        .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "Capture", dependencies: ["CPcap", "CZlib"]),
        .target(name: "Decode", dependencies: ["Capture"]),
        .target(name: "Flows", dependencies: ["Decode"]),
        .target(name: "Correlate", dependencies: ["Flows"]),
        .target(name: "Report", dependencies: ["Correlate"]),
        .executableTarget(name: "StageBench", dependencies: ["Capture", "Decode", "Flows", "Correlate", "Report"]),
    ],
    swiftLanguageModes: [.v6]
)
