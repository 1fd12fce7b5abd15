import Foundation

/// Expands the command line's capture arguments: directories become the capture files inside them.
enum CaptureFileList {
    /// File names that look like captures, for directory arguments.
    static let captureSuffixes = [".pcap", ".pcapng", ".cap", ".pcap.gz", ".pcapng.gz", ".cap.gz", ".etl.pcapng"]

    static func expand(_ arguments: [String]) throws -> [String] {
        var paths: [String] = []
        let fm = FileManager.default
        for argument in arguments {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue {
                let names = (try? fm.contentsOfDirectory(atPath: argument)) ?? []
                let captures = names.filter { name in captureSuffixes.contains { name.lowercased().hasSuffix($0) } }.sorted()
                if captures.isEmpty {
                    throw CommandFailure(message: "ssmpath: \(argument): directory holds no .pcap, .pcapng or .gz captures; hint: name the files to analyze")
                }
                paths += captures.map { (argument as NSString).appendingPathComponent($0) }
            } else {
                paths.append(argument)
            }
        }
        return paths
    }
}
