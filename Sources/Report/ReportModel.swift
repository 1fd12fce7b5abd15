import Correlate

/// What the report says about each capture file (filled by the CLI from the Capture stage).
public struct CaptureMetadata: Sendable {
    public var path: String
    /// `pcap`, `pcap-ns`, `pcapng`, each with `+gzip` when compressed; `live` for an interface.
    public var format: String
    /// Link types by libpcap name (`EN10MB`, `LINUX_SLL2`, ...).
    public var linkTypes: [String]
    public var packets: Int64
    public var bytes: Int64
    public var firstPacket: Timestamp?
    public var lastPacket: Timestamp?
    /// Frames cut by the snaplen.
    public var truncated: Int64
    /// Frames that could not be decoded (unsupported link type or malformed).
    public var undecodable: Int64
    /// Problems reading the file (cut mid-packet, corrupt record), one line each.
    public var warnings: [String]
    public init(path: String, format: String, linkTypes: [String], packets: Int64, bytes: Int64, firstPacket: Timestamp?,
                lastPacket: Timestamp?, truncated: Int64, undecodable: Int64, warnings: [String]) {
        self.path = path; self.format = format; self.linkTypes = linkTypes; self.packets = packets; self.bytes = bytes
        self.firstPacket = firstPacket; self.lastPacket = lastPacket; self.truncated = truncated
        self.undecodable = undecodable; self.warnings = warnings
    }
}

public enum ReportFormat: String, Sendable, CaseIterable {
    case text, markdown, html, json

    /// File name extension for `--output` defaults: `txt`, `md`, `html`, `json`.
    public var fileExtension: String {
        switch self {
        case .text: "txt"
        case .markdown: "md"
        case .html: "html"
        case .json: "json"
        }
    }
}

public enum ReportLanguage: String, Sendable, CaseIterable {
    case en, ja
}

public struct ReportOptions: Sendable {
    public var format: ReportFormat
    public var language: ReportLanguage
    /// ANSI colour in the text report.
    public var color: Bool
    public var toolVersion: String
    public init(format: ReportFormat, language: ReportLanguage = .en, color: Bool = false, toolVersion: String) {
        self.format = format; self.language = language; self.color = color; self.toolVersion = toolVersion
    }
}

/// Renders an analysis in the chosen format and language.
public enum ReportWriter {
    /// The whole report as one string (UTF-8 text ending in a newline). Never fails: empty analyses,
    /// missing captures and out-of-range indices in the analysis give a report that says what is missing.
    public static func render(_ analysis: Analysis, captures: [CaptureMetadata], options: ReportOptions) -> String {
        let context = ReportContext(analysis: analysis, captures: captures, options: options)
        switch options.format {
        case .text: return TextReport(context: context).render()
        case .markdown: return MarkdownReport(context: context).render()
        case .html: return HTMLReport(context: context).render()
        case .json: return JSONReport(context: context).render()
        }
    }
}
