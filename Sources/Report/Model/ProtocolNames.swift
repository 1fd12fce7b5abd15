import Correlate

// MARK: - Names for protocol numbers (IANA registries), used in every format

enum ProtocolNames {
    /// DNS RR type mnemonic (IANA "Resource Record (RR) TYPEs"), else `TYPEn` (RFC 3597 §5).
    static func dnsType(_ type: UInt16) -> String {
        switch type {
        case 1: "A"
        case 2: "NS"
        case 5: "CNAME"
        case 6: "SOA"
        case 12: "PTR"
        case 15: "MX"
        case 16: "TXT"
        case 28: "AAAA"
        case 33: "SRV"
        case 41: "OPT"
        case 64: "SVCB"
        case 65: "HTTPS"
        case 255: "ANY"
        default: "TYPE\(type)"
        }
    }

    /// DNS RCODE mnemonic (IANA "DNS RCODEs", spelled as BIND, dig and tshark print them), else `RCODEn`.
    /// `rcode` is the 12-bit extended code (RFC 6891 §6.1.3), so EDNS-only codes from 16 up have names too;
    /// 16 is BADVERS (an OPT-carried code; BADSIG shares the number only inside TSIG records).
    static func rcode(_ rcode: UInt16) -> String {
        switch rcode {
        case 0: "NOERROR"
        case 1: "FORMERR"
        case 2: "SERVFAIL"
        case 3: "NXDOMAIN"
        case 4: "NOTIMP"
        case 5: "REFUSED"
        case 6: "YXDOMAIN"
        case 7: "YXRRSET"
        case 8: "NXRRSET"
        case 9: "NOTAUTH"
        case 10: "NOTZONE"
        case 11: "DSOTYPENI"
        case 16: "BADVERS"
        case 17: "BADKEY"
        case 18: "BADTIME"
        case 19: "BADMODE"
        case 20: "BADNAME"
        case 21: "BADALG"
        case 22: "BADTRUNC"
        case 23: "BADCOOKIE"
        default: "RCODE\(rcode)"
        }
    }

    /// TLS named group (IANA "TLS Supported Groups"), else `0x1234`.
    static func group(_ group: UInt16) -> String {
        switch group {
        case 0x0017: "secp256r1"
        case 0x0018: "secp384r1"
        case 0x0019: "secp521r1"
        case 0x001D: "x25519"
        case 0x001E: "x448"
        case 0x0100: "ffdhe2048"
        case 0x0101: "ffdhe3072"
        case 0x0102: "ffdhe4096"
        case 0x11EB: "SecP256r1MLKEM768"
        case 0x11EC: "X25519MLKEM768"
        case 0x11ED: "SecP384r1MLKEM1024"
        case 0x6399: "X25519Kyber768Draft00"
        case 0x639A: "SecP256r1Kyber768Draft00"
        default: hex4(group)
        }
    }

    /// Protocol version as people write it, e.g. `TLS 1.3`.
    static func tlsVersion(_ version: UInt16) -> String {
        switch version {
        case 0x0304: "TLS 1.3"
        case 0x0303: "TLS 1.2"
        case 0x0302: "TLS 1.1"
        case 0x0301: "TLS 1.0"
        case 0x0300: "SSL 3.0"
        default: hex4(version)
        }
    }

    /// TLS alert description: RFC 8446 §6 name and the text Go's crypto/tls prints for it.
    static func alert(_ description: UInt8) -> (rfc: String, go: String) {
        switch description {
        case 0: ("close_notify", "close notify")
        case 10: ("unexpected_message", "unexpected message")
        case 20: ("bad_record_mac", "bad record MAC")
        case 22: ("record_overflow", "record overflow")
        case 40: ("handshake_failure", "handshake failure")
        case 42: ("bad_certificate", "bad certificate")
        case 43: ("unsupported_certificate", "unsupported certificate")
        case 44: ("certificate_revoked", "revoked certificate")
        case 45: ("certificate_expired", "expired certificate")
        case 46: ("certificate_unknown", "unknown certificate")
        case 47: ("illegal_parameter", "illegal parameter")
        case 48: ("unknown_ca", "unknown certificate authority")
        case 49: ("access_denied", "access denied")
        case 50: ("decode_error", "error decoding message")
        case 51: ("decrypt_error", "error decrypting message")
        case 70: ("protocol_version", "protocol version not supported")
        case 71: ("insufficient_security", "insufficient security level")
        case 80: ("internal_error", "internal error")
        case 86: ("inappropriate_fallback", "inappropriate fallback")
        case 90: ("user_canceled", "user canceled")
        case 109: ("missing_extension", "missing extension")
        case 110: ("unsupported_extension", "unsupported extension")
        case 112: ("unrecognized_name", "unrecognized name")
        case 116: ("certificate_required", "certificate required")
        case 120: ("no_application_protocol", "no application protocol")
        default: ("alert(\(description))", "alert(\(description))")
        }
    }

    static func hex4(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
