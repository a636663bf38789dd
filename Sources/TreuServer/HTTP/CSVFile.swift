import Foundation

/// A CSV file (RFC 4180: commas, double quotes with `""` inside, LF or CRLF), read row by row
/// from its bytes with the line each row starts on. Unquoted fields are trimmed of spaces.
/// Written here because parsing is most of an import's time, and a byte loop is several times
/// faster than a general reader.
struct CSVFile {
    struct FormatError: Error { let line: Int; let message: String }

    private let bytes: [UInt8]
    private var position = 0
    /// The line the next row starts on.
    private(set) var line = 1

    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw FormatError(line: 0, message: "cannot open \(path)") }
        self.init(data: data)
    }

    init(data: Data) {
        bytes = [UInt8](data)
        // A UTF-8 byte order mark, as spreadsheets write it, is not part of the first column's name.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    var progress: (done: Int, total: Int) { (position, bytes.count) }

    /// The next row and the line it starts on, or nil at the end.
    mutating func next() throws -> (line: Int, fields: [String])? {
        guard position < bytes.count else { return nil }
        let start = line
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        while true {
            guard position < bytes.count else {
                fields.append(Self.text(field, quoted: quoted))
                return (start, fields)
            }
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: ","):
                fields.append(Self.text(field, quoted: quoted))
                field.removeAll(keepingCapacity: true)
                quoted = false
            case UInt8(ascii: "\n"):
                line += 1
                fields.append(Self.text(field, quoted: quoted))
                return (start, fields)
            case UInt8(ascii: "\r") where position < bytes.count && bytes[position] == UInt8(ascii: "\n"):
                continue
            case UInt8(ascii: "\"") where field.allSatisfy({ $0 == UInt8(ascii: " ") }):
                field.removeAll(keepingCapacity: true)
                quoted = true
                var closed = false
                while position < bytes.count {
                    let c = bytes[position]
                    position += 1
                    if c == UInt8(ascii: "\"") {
                        if position < bytes.count && bytes[position] == UInt8(ascii: "\"") {
                            field.append(c)
                            position += 1
                        } else {
                            closed = true
                            break
                        }
                    } else {
                        if c == UInt8(ascii: "\n") { line += 1 }
                        if c == 0 { throw FormatError(line: line, message: "the line holds a NUL character") }
                        field.append(c)
                    }
                }
                guard closed else { throw FormatError(line: start, message: "a quoted field is not closed") }
                while position < bytes.count, bytes[position] == UInt8(ascii: " ") { position += 1 }
                guard position == bytes.count || [UInt8(ascii: ","), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[position]) else {
                    throw FormatError(line: start, message: "text after a quoted field's closing quote")
                }
            case 0:
                // No text Treu keeps holds a NUL (PostgreSQL cannot store one).
                throw FormatError(line: line, message: "the line holds a NUL character")
            default:
                field.append(byte)
            }
        }
    }

    private static func text(_ bytes: [UInt8], quoted: Bool) -> String {
        if quoted { return String(decoding: bytes, as: UTF8.self) }
        var slice = bytes[...]
        while let first = slice.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { slice = slice.dropFirst() }
        while let last = slice.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { slice = slice.dropLast() }
        return String(decoding: slice, as: UTF8.self)
    }
}
