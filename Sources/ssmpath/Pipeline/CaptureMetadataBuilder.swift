import Capture
import Report

/// Maps the Capture stage's file facts to the report's capture metadata.
enum CaptureMetadataBuilder {
    static func files(_ infos: [CaptureFileInfo], undecodable: [Int64]) -> [CaptureMetadata] {
        infos.enumerated().map { index, info in
            metadata(info, format: info.format.name, undecodable: undecodable.indices.contains(index) ? undecodable[index] : 0)
        }
    }

    static func metadata(_ info: CaptureFileInfo, format: String, undecodable: Int64) -> CaptureMetadata {
        CaptureMetadata(path: info.path, format: format, linkTypes: info.linkTypes.map(\.name),
                        packets: info.packets, bytes: info.bytes, firstPacket: info.firstPacket,
                        lastPacket: info.lastPacket, truncated: info.truncatedPackets, undecodable: undecodable,
                        warnings: info.warningMessages)
    }
}
