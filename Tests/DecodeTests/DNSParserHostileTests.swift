import Testing
@testable import Decode

// Hand-made hostile messages, one problem each (Suricata's DNS parser tests, in spirit).

@Suite("DNS hostile messages")
struct DNSParserHostileTests {
    @Test func shortHeader() {
        #expect(parseDNS([UInt8](repeating: 0, count: 11)).failure == .shortHeader(count: 11))
        #expect(parseDNS([]).failure == .shortHeader(count: 0))
    }

    @Test func selfPointer() throws {
        // The question's name is a pointer to itself (offset 12).
        let message = try parseDNS(DNSBytes.header() + DNSBytes.question(DNSBytes.pointer(12))).get()
        #expect(message.anomalies.contains(.badPointer))
        #expect(message.questions == [DNSQuestion(name: DNSName(bytes: []), type: DNSType.a, recordClass: 1)])
    }

    @Test func forwardPointer() throws {
        let bytes = DNSBytes.header() + DNSBytes.question(DNSBytes.pointer(18)) + DNSBytes.name("x")
        let message = try parseDNS(bytes).get()
        #expect(message.anomalies.contains(.badPointer))
        #expect(message.anomalies.contains(.trailingBytes))
    }

    @Test func pointerBackToItsOwnLabels() throws {
        // "a" then a pointer back to the start of the same name: a loop.
        let message = try parseDNS(DNSBytes.header() + DNSBytes.question([1, 0x61] + DNSBytes.pointer(12))).get()
        #expect(message.anomalies.contains(.badPointer))
        #expect(message.questions.first?.name == DNSName("a"))
    }

    @Test func twoNamesPointingAtEachOther() throws {
        // Question at 12: "y" → pointer to the answer's name (forward). Answer name at 20: "x" →
        // pointer to 12, whose "y" then points back at 20: a loop A → B → A.
        let question = DNSBytes.question([1, 0x79] + DNSBytes.pointer(20)) // 12..<20
        let answer = DNSBytes.record([1, 0x78] + DNSBytes.pointer(12), type: DNSType.a, rdata: [192, 0, 2, 1])
        let message = try parseDNS(DNSBytes.header(an: 1) + question + answer).get()
        #expect(message.anomalies.contains(.badPointer))
        #expect(message.answers.first?.name == DNSName("x.y"))
        #expect(message.answers.first?.data == .address(.v4(0xC000_0201))) // the record still parsed
    }

    @Test func nameOver255Bytes() throws {
        let label = [UInt8(63)] + [UInt8](repeating: 0x61, count: 63)
        let longName = label + label + label + label + label + [0] // 321 bytes on the wire
        let message = try parseDNS(DNSBytes.header() + DNSBytes.question(longName, type: DNSType.aaaa)).get()
        #expect(message.anomalies.contains(.nameTooLong))
        let name = try #require(message.questions.first)
        #expect(name.name.bytes.count == 63 * 3 + 2) // three labels fit in 255 bytes, the fourth does not
        #expect(name.type == DNSType.aaaa)           // the name's end was still found
    }

    @Test func twoHundredLabels() throws {
        let name = [UInt8]((0..<200).flatMap { _ in [UInt8(1), 0x62] }) + [0]
        let message = try parseDNS(DNSBytes.header() + DNSBytes.question(name)).get()
        #expect(message.anomalies.contains(.nameTooLong))
        let kept = try #require(message.questions.first?.name.bytes)
        #expect(kept.count == 127 * 2 - 1) // 127 one-byte labels make 255 wire bytes
        #expect(message.questions.first?.type == DNSType.a)
    }

    @Test func compressedNameGrowingPast255Bytes() throws {
        let label = [UInt8(60)] + [UInt8](repeating: 0x63, count: 60)
        let question = DNSBytes.question(label + label + label + label + [0]) // 245 bytes: fits
        let answer = DNSBytes.record(label + DNSBytes.pointer(12), type: DNSType.a, rdata: [10, 0, 0, 1])
        let message = try parseDNS(DNSBytes.header(an: 1) + question + answer).get()
        #expect(message.anomalies == [.nameTooLong])
        #expect(message.answers.first?.data == .address(.v4(0x0A00_0001)))
    }

    @Test func extendedLabelTypeInTheQuestion() {
        let bytes = DNSBytes.header() + DNSBytes.question([0x41, 0x61, 0])
        #expect(parseDNS(bytes).failure == .badQuestion(offset: 12))
    }

    @Test func extendedLabelTypeAfterAPointerKeepsTheRecord() throws {
        let question = DNSBytes.question([0x80, 0])                       // 12: reserved label type
        let answer = DNSBytes.record([1, 0x7A] + DNSBytes.pointer(12), type: DNSType.a, rdata: [10, 0, 0, 2])
        // The question cannot be read at all.
        #expect(parseDNS(DNSBytes.header(an: 1) + question + answer).failure == .badQuestion(offset: 12))
        // A second answer whose name points at a reserved label inside the first's rdata (offset 23):
        // the name is cut at the bad label but the record is kept.
        let junk = DNSBytes.record([0], type: DNSType.txt, rdata: [0x80, 0])          // 12..<25, rdata at 23
        let pointing = DNSBytes.record([1, 0x7A] + DNSBytes.pointer(23), type: DNSType.a, rdata: [10, 0, 0, 3])
        let message = try parseDNS(DNSBytes.header(qd: 0, an: 2) + junk + pointing).get()
        #expect(message.anomalies == [.badLabelType])
        #expect(message.answers.map(\.name) == [DNSName(bytes: []), DNSName("z")])
        #expect(message.answers.last?.data == .address(.v4(0x0A00_0003)))
    }

    @Test func escapingInPresentationForm() throws {
        let label: [UInt8] = [0x41, 0x2E, 0x62, 0x5C, 0x00, 0x20, 0xFF, 0x7E]
        let message = try parseDNS(DNSBytes.header() + DNSBytes.question([UInt8(label.count)] + label + [3, 0x43, 0x4F, 0x4D, 0])).get()
        #expect(message.questions.first?.name.text == #"a\.b\\\000\032\255~.com"#)
    }

    @Test func answerCountPastTheEnd() throws {
        let bytes = DNSBytes.header(an: 5) + DNSBytes.question(DNSBytes.name("ssm.example"))
            + DNSBytes.record(DNSBytes.pointer(12), type: DNSType.a, rdata: [10, 0, 0, 1])
        let message = try parseDNS(bytes).get()
        #expect(message.anomalies == [.truncatedRecords])
        #expect(message.answers.count == 1)
    }

    @Test func questionCountPastTheEndKeepsTheFirst() throws {
        let message = try parseDNS(DNSBytes.header(qd: 3) + DNSBytes.question(DNSBytes.name("ssm.example"))).get()
        #expect(message.anomalies == [.truncatedRecords])
        #expect(message.questions.count == 1)
    }

    @Test func everyCountAtMaximum() throws {
        let bytes = DNSBytes.header(qd: 1, an: 0xFFFF, ns: 0xFFFF, ar: 0xFFFF) + DNSBytes.question(DNSBytes.name("a"))
        let message = try parseDNS(bytes).get()
        #expect(message.anomalies == [.truncatedRecords])
        #expect(message.answers.isEmpty)
    }

    @Test func rdlengthPastTheEnd() throws {
        let bytes = DNSBytes.header(an: 1) + DNSBytes.question(DNSBytes.name("a"))
            + DNSBytes.record(DNSBytes.pointer(12), type: DNSType.a, rdata: [10, 0], rdLength: 4)
        let message = try parseDNS(bytes).get()
        #expect(message.anomalies == [.badRdata])
        #expect(message.answers.isEmpty)
    }

    @Test func aRecordWithRdlength5() throws {
        let bytes = DNSBytes.header(an: 2) + DNSBytes.question(DNSBytes.name("a"))
            + DNSBytes.record(DNSBytes.pointer(12), type: DNSType.a, rdata: [10, 0, 0, 1, 9])
            + DNSBytes.record(DNSBytes.pointer(12), type: DNSType.aaaa, rdata: [UInt8](repeating: 0, count: 15) + [1])
        let message = try parseDNS(bytes).get()
        #expect(message.anomalies == [.badRdata])
        #expect(message.answers.map(\.data) == [.other(length: 5), .address(.v6(high: 0, low: 1))])
    }

    @Test func aaaaWithRdlength4() throws {
        let bytes = DNSBytes.header(an: 1) + DNSBytes.question(DNSBytes.name("a"))
            + DNSBytes.record(DNSBytes.pointer(12), type: DNSType.aaaa, rdata: [10, 0, 0, 1])
        let message = try parseDNS(bytes).get()
        #expect(message.anomalies == [.badRdata])
        #expect(message.answers.map(\.data) == [.other(length: 4)])
    }

    @Test func compressedCNAMEChain() throws {
        // Question "ssm.us-east-1.amazonaws.com" at 12; "us-east-1..." starts at 16, "amazonaws.com" at 26.
        var bytes = DNSBytes.header(an: 3) + DNSBytes.question(DNSBytes.name("ssm.us-east-1.amazonaws.com"))
        let firstTargetOffset = bytes.count + 2 + 10 // after the answer's pointer name and fixed fields
        bytes += DNSBytes.record(DNSBytes.pointer(12), type: DNSType.cname,
                                 rdata: [4] + Array("vpce".utf8) + DNSBytes.pointer(16))
        let secondTargetOffset = bytes.count + 2 + 10
        bytes += DNSBytes.record(DNSBytes.pointer(firstTargetOffset), type: DNSType.cname,
                                 rdata: [2] + Array("z1".utf8) + DNSBytes.pointer(firstTargetOffset))
        bytes += DNSBytes.record(DNSBytes.pointer(secondTargetOffset), type: DNSType.a, rdata: [10, 0, 1, 25])
        let message = try parseDNS(bytes).get()
        #expect(message.anomalies.isEmpty)
        #expect(message.answers.map(\.name) == [DNSName("ssm.us-east-1.amazonaws.com"),
                                                DNSName("vpce.us-east-1.amazonaws.com"),
                                                DNSName("z1.vpce.us-east-1.amazonaws.com")])
        #expect(message.answers.map(\.data) == [.cname(DNSName("vpce.us-east-1.amazonaws.com")),
                                                .cname(DNSName("z1.vpce.us-east-1.amazonaws.com")),
                                                .address(.v4(0x0A00_0119))])
    }

    @Test func cnameTargetPastItsRdata() throws {
        let bytes = DNSBytes.header(an: 1) + DNSBytes.question(DNSBytes.name("a"))
            + DNSBytes.record(DNSBytes.pointer(12), type: DNSType.cname, rdata: [3, 0x61, 0x62], rdLength: 3)
            + [0x63, 0]
        let message = try parseDNS(bytes).get()
        #expect(message.anomalies.contains(.badRdata))
        #expect(message.answers.first?.data == .other(length: 3))
    }

    @Test func optWithExtendedRcode() throws {
        // Header rcode 0, OPT extended rcode 1: BADVERS (16). UDP size 4096.
        let opt = DNSBytes.record([0], type: DNSType.opt, recordClass: 4096, ttl: 0x0100_0000, rdata: [])
        let message = try parseDNS(DNSBytes.header(ar: 1) + DNSBytes.question(DNSBytes.name("a")) + opt).get()
        #expect(message.rcode == 16)
        #expect(message.ednsUDPSize == 4096)
        // Header rcode 5 with extended 2: 0x25.
        let opt2 = DNSBytes.record([0], type: DNSType.opt, recordClass: 512, ttl: 0x0200_8000, rdata: [])
        let message2 = try parseDNS(DNSBytes.header(flags: 0x8185, ar: 1) + DNSBytes.question(DNSBytes.name("a")) + opt2).get()
        #expect(message2.rcode == 0x25)
    }

    @Test func trailingBytes() throws {
        let message = try parseDNS(DNSBytes.header() + DNSBytes.question(DNSBytes.name("a")) + [0, 0]).get()
        #expect(message.anomalies == [.trailingBytes])
    }

    @Test func otherTypesAreKeptAsLengths() throws {
        let bytes = DNSBytes.header(ns: 1) + DNSBytes.question(DNSBytes.name("a"))
            + DNSBytes.record(DNSBytes.pointer(12), type: DNSType.soa, rdata: [UInt8](repeating: 0, count: 22))
        let message = try parseDNS(bytes).get()
        #expect(message.authority.map(\.data) == [.other(length: 22)])
        #expect(message.anomalies.isEmpty)
    }
}
