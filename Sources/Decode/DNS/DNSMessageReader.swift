// DNS message layout (RFC 1035 §4.1), EDNS OPT (RFC 6891 §6.1).

// MARK: - Header (RFC 1035 §4.1.1)

/// The fixed 12-byte header, checked once; no accessor can trap after the init.
struct DNSHeaderView {
    static let length = 12
    private static let idOffset = 0          // ID
    private static let flagsOffset = 2       // QR|Opcode|AA|TC|RD|RA|Z|AD|CD|RCODE
    private static let qdcountOffset = 4     // QDCOUNT
    private static let ancountOffset = 6     // ANCOUNT
    private static let nscountOffset = 8     // NSCOUNT
    private static let arcountOffset = 10    // ARCOUNT

    private let bytes: UnsafeRawBufferPointer

    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.length else { return nil }
        self.bytes = bytes
    }

    private func u16(_ offset: Int) -> UInt16 {
        bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self).bigEndian // length checked in init
    }
    var id: UInt16 { u16(Self.idOffset) }
    var flags: UInt16 { u16(Self.flagsOffset) }
    var questionCount: Int { Int(u16(Self.qdcountOffset)) }
    var answerCount: Int { Int(u16(Self.ancountOffset)) }
    var authorityCount: Int { Int(u16(Self.nscountOffset)) }
    var additionalCount: Int { Int(u16(Self.arcountOffset)) }
}

// MARK: - Message reader

enum DNSMessageReader {
    /// QTYPE + QCLASS.
    private static let questionFixedLength = 4
    /// TYPE + CLASS + TTL + RDLENGTH (RFC 1035 §4.1.3).
    private static let recordFixedLength = 10
    /// Smallest possible record: root name (1 byte) plus the fixed fields.
    private static let minimumRecordLength = 11

    static func read(_ bytes: UnsafeRawBufferPointer) throws(DNSParseError) -> DNSMessage {
        guard let header = DNSHeaderView(bytes) else { throw .shortHeader(count: bytes.count) }
        let flags = header.flags
        var message = DNSMessage(
            id: header.id,
            isResponse: flags & 0x8000 != 0,
            opcode: UInt8(truncatingIfNeeded: (flags >> 11) & 0x0F),
            authoritative: flags & 0x0400 != 0,
            truncated: flags & 0x0200 != 0,
            recursionDesired: flags & 0x0100 != 0,
            recursionAvailable: flags & 0x0080 != 0,
            rcode: flags & 0x000F,
            questions: [], answers: [], authority: [], additional: [], ednsUDPSize: nil, anomalies: [])

        var offset = DNSHeaderView.length
        let remainingAfterHeader = bytes.count &- offset

        // MARK: Questions (RFC 1035 §4.1.2)
        message.questions.reserveCapacity(min(header.questionCount, remainingAfterHeader / 5))
        for index in 0..<header.questionCount {
            guard let nameRead = DNSNameReader.read(bytes, at: offset),
                  nameRead.end &+ questionFixedLength <= bytes.count else {
                if index == 0 { throw .badQuestion(offset: offset) }
                message.anomalies.insert(.truncatedRecords)
                return message
            }
            message.anomalies.formUnion(nameRead.anomalies)
            let type = bytes.loadUnaligned(fromByteOffset: nameRead.end, as: UInt16.self).bigEndian // QTYPE, checked above
            let recordClass = bytes.loadUnaligned(fromByteOffset: nameRead.end &+ 2, as: UInt16.self).bigEndian // QCLASS
            message.questions.append(DNSQuestion(name: nameRead.name, type: type, recordClass: recordClass))
            offset = nameRead.end &+ questionFixedLength
        }

        // MARK: Resource record sections (RFC 1035 §4.1.3)
        var stopped = false
        message.answers = readSection(bytes, count: header.answerCount, offset: &offset, stopped: &stopped, into: &message)
        if stopped { return message }
        message.authority = readSection(bytes, count: header.authorityCount, offset: &offset, stopped: &stopped, into: &message)
        if stopped { return message }
        message.additional = readSection(bytes, count: header.additionalCount, offset: &offset, stopped: &stopped, into: &message)
        if stopped { return message }
        if offset < bytes.count { message.anomalies.insert(.trailingBytes) }
        return message
    }

    /// Reads `count` records from `offset`, keeping those parsed before any stop (`stopped` set and
    /// the reason added to the message's anomalies).
    private static func readSection(_ bytes: UnsafeRawBufferPointer, count: Int, offset: inout Int, stopped: inout Bool,
                                    into message: inout DNSMessage) -> [DNSResourceRecord] {
        var records: [DNSResourceRecord] = []
        records.reserveCapacity(min(count, (bytes.count &- offset) / minimumRecordLength))
        for _ in 0..<count {
            switch readRecord(bytes, at: offset, into: &message) {
            case .record(let record, let end):
                records.append(record)
                offset = end
            case .stop(let anomaly):
                message.anomalies.insert(anomaly)
                stopped = true
                return records
            }
        }
        return records
    }

    // MARK: - One record

    private enum RecordRead {
        case record(DNSResourceRecord, end: Int)
        /// Parsing cannot go on; the anomaly says why.
        case stop(DNSAnomalies)
    }

    private static func readRecord(_ bytes: UnsafeRawBufferPointer, at offset: Int,
                                   into message: inout DNSMessage) -> RecordRead {
        guard let nameRead = DNSNameReader.read(bytes, at: offset) else { return .stop(.truncatedRecords) }
        let fixed = nameRead.end
        guard fixed &+ recordFixedLength <= bytes.count else { return .stop(.truncatedRecords) }
        message.anomalies.formUnion(nameRead.anomalies)
        // checked above: fixed + 10 <= count
        let type = bytes.loadUnaligned(fromByteOffset: fixed, as: UInt16.self).bigEndian            // TYPE
        let recordClass = bytes.loadUnaligned(fromByteOffset: fixed &+ 2, as: UInt16.self).bigEndian // CLASS
        let ttl = bytes.loadUnaligned(fromByteOffset: fixed &+ 4, as: UInt32.self).bigEndian         // TTL
        let rdLength = Int(bytes.loadUnaligned(fromByteOffset: fixed &+ 8, as: UInt16.self).bigEndian) // RDLENGTH
        let rdataStart = fixed &+ recordFixedLength
        let rdataEnd = rdataStart &+ rdLength
        guard rdataEnd <= bytes.count else { return .stop(.badRdata) }

        let data: DNSRecordData
        switch type {
        case DNSType.a where rdLength == 4:
            data = .address(.v4(bytes.loadUnaligned(fromByteOffset: rdataStart, as: UInt32.self).bigEndian)) // checked above
        case DNSType.aaaa where rdLength == 16:
            let high = bytes.loadUnaligned(fromByteOffset: rdataStart, as: UInt64.self).bigEndian      // checked above
            let low = bytes.loadUnaligned(fromByteOffset: rdataStart &+ 8, as: UInt64.self).bigEndian // checked above
            data = .address(.v6(high: high, low: low))
        case DNSType.a, DNSType.aaaa:
            message.anomalies.insert(.badRdata)
            data = .other(length: rdLength)
        case DNSType.cname:
            // The target may be compressed, pointing anywhere before it; it must end inside the rdata.
            if let target = DNSNameReader.read(bytes, at: rdataStart), target.end <= rdataEnd {
                message.anomalies.formUnion(target.anomalies)
                if target.end != rdataEnd { message.anomalies.insert(.badRdata) }
                data = .cname(target.name)
            } else {
                message.anomalies.insert(.badRdata)
                data = .other(length: rdLength)
            }
        case DNSType.opt:
            // RFC 6891 §6.1.2-3: CLASS is the requestor's UDP payload size; TTL holds EXTENDED-RCODE
            // (upper 8 bits of the 12-bit rcode), VERSION, DO. Only the first OPT counts.
            if message.ednsUDPSize == nil {
                message.ednsUDPSize = recordClass
                message.rcode = UInt16(truncatingIfNeeded: ttl >> 24) << 4 | (message.rcode & 0x000F)
            }
            data = .other(length: rdLength)
        default:
            data = .other(length: rdLength)
        }
        return .record(DNSResourceRecord(name: nameRead.name, type: type, recordClass: recordClass, ttl: ttl,
                                         data: data), end: rdataEnd)
    }
}
