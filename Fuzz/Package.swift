// swift-tools-version:6.1
// libFuzzer targets for ssmpath's decoders and pipeline. A separate package so that the main build
// and CI never see the sanitizer flags. Build and run with Fuzz/run.sh (see Fuzz/README.md).
//
// The stages are compiled here from the main package's own sources (Sources/<Stage> are symlinks to
// ../../Sources/<Stage>): the root package exports only the `ssmpath` executable, and SwiftPM cannot
// depend on another package's non-product targets. With a library product in the root package this
// becomes `.package(path: "..")` + `.product(name: ..., package: "ssmpath")`.
import PackageDescription

/// One libFuzzer executable per target; `FuzzSupport` holds what they share.
func fuzzTarget(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name,
        dependencies: dependencies + ["FuzzSupport"],
        // The entry point is @_cdecl("LLVMFuzzerTestOneInput"); libFuzzer provides main.
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    )
}

let package = Package(
    name: "ssmpath-fuzz",
    targets: [
        // MARK: - The stages under test (symlinked sources of the main package)
        .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "Capture", dependencies: ["CPcap", "CZlib"]),
        .target(name: "Decode", dependencies: ["Capture"]),
        .target(name: "Flows", dependencies: ["Decode"]),
        .target(name: "Correlate", dependencies: ["Flows"]),

        // MARK: - Fuzz targets
        .target(name: "FuzzSupport", dependencies: ["Capture"]),
        fuzzTarget("FuzzPacketDecoder", ["Capture", "Decode"]),
        fuzzTarget("FuzzDNS", ["Decode"]),
        fuzzTarget("FuzzClientHello", ["Decode"]),
        fuzzTarget("FuzzServerRecords", ["Decode"]),
        fuzzTarget("FuzzHTTPConnect", ["Decode"]),
        fuzzTarget("FuzzPipeline", ["Capture", "Decode", "Flows", "Correlate"]),
    ],
    swiftLanguageModes: [.v6]
)
