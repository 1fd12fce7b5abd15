import Correlate

// MARK: - Time text

enum TimeText {
    /// ISO 8601 UTC with microseconds, e.g. `2026-11-29T09:16:17.123456Z` (sub-microsecond digits are
    /// truncated toward the past). Uses the civil-from-days algorithm (H. Hinnant), so it is exact for
    /// every `Int64` nanosecond value and needs no calendar or locale.
    static func iso8601(_ time: Timestamp) -> String {
        let ns = time.nanoseconds
        // Floor division so that times before 1970 still get a non-negative fraction.
        var seconds = ns / 1_000_000_000
        var fraction = ns % 1_000_000_000
        if fraction < 0 { fraction += 1_000_000_000; seconds -= 1 }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 { secondOfDay += 86_400; days -= 1 }
        let (year, month, day) = civilFromDays(days)
        let hour = secondOfDay / 3600, minute = (secondOfDay % 3600) / 60, second = secondOfDay % 60
        let micro = fraction / 1000
        // Written straight into the String's storage (a report has a time per DNS answer and flow;
        // interpolating padded pieces built eight Strings per time). 64 bytes hold any Int64 year.
        return String(unsafeUninitializedCapacity: 64) { buffer in
            var count = 0
            func put(_ byte: UInt8) {
                if count < buffer.count { buffer[count] = byte; count &+= 1 }
            }
            func put(_ value: Int64, width: Int) {
                if value < 0 { put(UInt8(ascii: "-")) }
                var digits = 1
                var scale: UInt64 = 1
                while value.magnitude / scale >= 10 { scale &*= 10; digits &+= 1 }
                for _ in 0..<max(0, width &- digits) { put(UInt8(ascii: "0")) }
                while scale > 0 {
                    put(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: (value.magnitude / scale) % 10))
                    scale /= 10
                }
            }
            put(year, width: 4); put(UInt8(ascii: "-")); put(month, width: 2); put(UInt8(ascii: "-")); put(day, width: 2)
            put(UInt8(ascii: "T")); put(hour, width: 2); put(UInt8(ascii: ":")); put(minute, width: 2)
            put(UInt8(ascii: ":")); put(second, width: 2); put(UInt8(ascii: ".")); put(micro, width: 6)
            put(UInt8(ascii: "Z"))
            return count
        }
    }

    /// Seconds since `origin` with three decimals and a sign, e.g. `+12.345s`.
    static func offset(_ time: Timestamp, from origin: Timestamp) -> String {
        let ns = time.nanoseconds(since: origin)
        let ms = ns / 1_000_000
        let sign = ms < 0 ? "-" : "+"
        let magnitude = ms.magnitude
        return "\(sign)\(magnitude / 1000).\(pad(Int64(magnitude % 1000), 3))s"
    }

    /// Milliseconds with up to three decimals, without trailing zeros (`12.5`, `3`, `0.123`).
    static func milliseconds(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let thousandths = (value * 1000).rounded()
        guard let whole = Int64(exactly: thousandths) else { return "0" }
        let sign = whole < 0 ? "-" : ""
        let m = whole.magnitude
        var text = "\(sign)\(m / 1000)"
        let frac = m % 1000
        if frac != 0 {
            var digits = pad(Int64(frac), 3)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text
    }

    /// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar.
    static func civilFromDays(_ z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097                                    // [0, 146096]
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365  // [0, 399]
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)                // [0, 365]
        let mp = (5 * doy + 2) / 153                                     // [0, 11]
        let d = doy - (153 * mp + 2) / 5 + 1                             // [1, 31]
        let m = mp < 10 ? mp + 3 : mp - 9                                // [1, 12]
        return (m <= 2 ? y + 1 : y, m, d)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let zeros = String(repeating: "0", count: max(0, width - digits.count))
        return (value < 0 ? "-" : "") + zeros + digits
    }
}
