import Capture

/// Says where and why when a file's link type looks wrong: every frame of the file held no IP
/// packet under the link type its header names (an Ethernet capture labelled RAW, a private
/// `USER0`-style type). Without it such a file reads as "no SSM traffic" with no hint.
enum LinkTypeCheck {
    /// One warning per file whose `packets` frames were all not IP (or undecodable); none for
    /// an empty file or when `notIPFrames` has no entry for the file.
    static func warnings(_ infos: [CaptureFileInfo], notIPFrames: [Int64]) -> [(file: Int, message: String)] {
        var warnings: [(file: Int, message: String)] = []
        for (index, info) in infos.enumerated() where notIPFrames.indices.contains(index) {
            guard info.packets > 0, notIPFrames[index] >= info.packets else { continue }
            // libpcap's name: `DLT_147` for a type it does not know, `RAW` for LINKTYPE_RAW (101),
            // which libpcap reports as DLT_RAW (12) — the name is the same either way.
            let types = info.linkTypes.map(\.name).joined(separator: ", ")
            warnings.append((index, "\(info.path): none of its \(info.packets) frames holds an IP packet as link type "
                + "\(types.isEmpty ? "unknown" : types); the link type in the file header may be wrong; "
                + "hint: check the frames with `tshark -r FILE -c 5 -x` and rewrite the header with `editcap -T ether` "
                + "(or the right encapsulation)"))
        }
        return warnings
    }
}
