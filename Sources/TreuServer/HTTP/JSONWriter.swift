import Foundation

/// JSON written by hand, for the paths that run once per event (an import runs them millions of
/// times): Foundation's `JSONEncoder` cost a quarter of an imported event's time. Callers write
/// keys in sorted order, so the bytes match what `TreuJSON` writes for the same values.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var first = true

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    var data: Data { Data(bytes) }

    mutating func object(_ body: (inout JSONWriter) throws -> Void) rethrows {
        separate()
        bytes.append(UInt8(ascii: "{"))
        first = true
        try body(&self)
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    mutating func array<S: Sequence>(_ items: S, _ body: (inout JSONWriter, S.Element) throws -> Void) rethrows {
        separate()
        bytes.append(UInt8(ascii: "["))
        first = true
        for item in items { try body(&self, item) }
        bytes.append(UInt8(ascii: "]"))
        first = false
    }

    /// A key of the object being written; the value follows.
    mutating func key(_ name: String) {
        separate()
        string(name)
        bytes.append(UInt8(ascii: ":"))
        first = true
    }

    mutating func value(_ text: String?) {
        separate()
        if let text { string(text) } else { null() }
        first = false
    }

    mutating func value(_ number: Int) {
        separate()
        bytes.append(contentsOf: String(number).utf8)
        first = false
    }

    mutating func value(_ flag: Bool) {
        separate()
        bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        first = false
    }

    mutating func value(_ date: Date?) { value(date.map(TreuJSON.timestamp)) }

    /// A value that is JSON already (a stored document), as its bytes.
    mutating func raw(_ json: String) {
        separate()
        bytes.append(contentsOf: json.utf8)
        first = false
    }

    /// `"key": value` in one call.
    mutating func field(_ name: String, _ text: String?) { key(name); value(text) }
    mutating func field(_ name: String, _ number: Int) { key(name); value(number) }
    mutating func field(_ name: String, _ flag: Bool) { key(name); value(flag) }
    mutating func field(_ name: String, _ date: Date?) { key(name); value(date) }
    /// An object of strings, its keys in order.
    mutating func field(_ name: String, _ strings: [String: String]) {
        key(name)
        object { w in for (key, value) in strings.sorted(by: { $0.key < $1.key }) { w.field(key, value) } }
    }

    private mutating func null() { bytes.append(contentsOf: "null".utf8) }

    private mutating func separate() {
        if !first { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// A value that writes itself with `JSONWriter`.
protocol JSONWritable {
    func write(to writer: inout JSONWriter)
}

extension JSONWritable {
    var jsonData: Data {
        var writer = JSONWriter()
        write(to: &writer)
        return writer.data
    }
}
