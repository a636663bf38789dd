import Foundation
import TreuCore
import TreuStore

/// Imports members from a CSV file, all or nothing: every row is checked first, and a bad row
/// is reported with its line number; only a file without errors is written, in one transaction.
///
/// Columns (a header row names them, in any order; all optional but at least one identity a row):
/// `email`, `phone`, `card`, `customer_id`, `name`, `locale` (en, de, vi), `birthday` (YYYY-MM-DD),
/// `marketing_email`, `marketing_sms` (true/false, yes/no, 1/0), and `attr.NAME` for free attributes.
public enum MemberImport {
    public struct RowError: Error, CustomStringConvertible, Equatable {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    public enum Phase: Sendable { case reading, writing }

    static let identityColumns: [String: IdentityKind] = ["email": .email, "phone": .phone, "card": .card, "customer_id": .customerID]
    static let profileColumns: Set<String> = ["name", "locale", "birthday", "marketing_email", "marketing_sms"]

    /// Reads and checks every row; returns the members with the line each came from.
    /// - Throws: `RowError` for the first bad row (or header).
    public static func read(path: String, defaultCountryCode: String?, ids: IDGenerator, now: Date) throws -> [(line: Int, member: Member)] {
        var file: CSVFile
        do { file = try CSVFile(path: path) } catch let error as CSVFile.FormatError { throw RowError(line: error.line, message: error.message) }
        let header: [String]
        do {
            guard let first = try file.next() else { throw RowError(line: 1, message: "the file is empty: it needs a header row") }
            header = first.fields.map { $0.lowercased() }
        } catch let error as CSVFile.FormatError { throw RowError(line: error.line, message: error.message) }
        for column in header where identityColumns[column] == nil && !profileColumns.contains(column) && !column.hasPrefix("attr.") {
            throw RowError(line: 1, message: "unknown column '\(column)'; known: \((Array(identityColumns.keys) + profileColumns).sorted().joined(separator: ", ")), attr.NAME")
        }
        var members: [(line: Int, member: Member)] = []
        var seen: [Identity: Int] = [:]
        while true {
            let line: Int, row: [String]
            do {
                guard let next = try file.next() else { break }
                (line, row) = next
            } catch let error as CSVFile.FormatError { throw RowError(line: error.line, message: "the file is not valid CSV: \(error.message)") }
            if row.allSatisfy(\.isEmpty) { continue }
            guard row.count == header.count else {
                throw RowError(line: line, message: "\(row.count) fields where the header has \(header.count)")
            }
            do {
                let member = try makeMember(Dictionary(zip(header, row), uniquingKeysWith: { a, _ in a }),
                                            defaultCountryCode: defaultCountryCode, id: ids.next(), now: now)
                for identity in member.identities {
                    if let other = seen[identity] {
                        throw ValidationError(code: "duplicate_identity", message: "\(identity.kind.rawValue) \(identity.value) is also on line \(other)")
                    }
                    seen[identity] = line
                }
                members.append((line, member))
            } catch let error as ValidationError {
                throw RowError(line: line, message: error.message)
            }
        }
        return members
    }

    static func makeMember(_ fields: [String: String], defaultCountryCode: String?, id: UUID, now: Date) throws(ValidationError) -> Member {
        func flag(_ column: String) throws(ValidationError) -> Bool? {
            guard let text = fields[column]?.lowercased(), !text.isEmpty else { return nil }
            switch text {
            case "true", "yes", "1", "y": return true
            case "false", "no", "0", "n": return false
            default: throw ValidationError(code: "invalid_field", field: column, message: "\(column) is true or false, not '\(text)'")
            }
        }
        var identities: [Identity] = []
        for (column, kind) in identityColumns.sorted(by: { $0.value < $1.value }) {
            if let raw = fields[column], !raw.isEmpty { identities.append(try Identity(kind, raw, defaultCountryCode: defaultCountryCode)) }
        }
        var locale = MemberLocale.en
        if let text = fields["locale"], !text.isEmpty {
            guard let value = MemberLocale(rawValue: text.lowercased()) else {
                throw ValidationError(code: "invalid_field", field: "locale", message: "locale is en, de or vi, not '\(text)'")
            }
            locale = value
        }
        var attributes: [String: AttributeValue] = [:]
        for (column, value) in fields where column.hasPrefix("attr.") && !value.isEmpty {
            attributes[String(column.dropFirst(5))] = .string(value)
        }
        let birthday = try fields["birthday"].flatMap { $0.isEmpty ? nil : $0 }.map { text throws(ValidationError) in try CalendarDate(text) }
        let name = fields["name"].flatMap { $0.isEmpty ? nil : $0 }
        let enrolment = Enrolment(name: name, locale: locale, birthday: birthday, attributes: attributes,
                                  marketingEmail: try flag("marketing_email"), marketingSMS: try flag("marketing_sms"),
                                  identities: identities)
        return try enrolment.makeMember(id: id, now: now)
    }

    /// Reads, checks and writes the file; returns how many members were enrolled.
    public static func run(path: String, environment: TreuEnvironment,
                           progress: @escaping @Sendable (Phase, Int, Int) -> Void = { _, _, _ in }) async throws -> Int {
        progress(.reading, 0, 0)
        let rows = try read(path: path, defaultCountryCode: environment.configuration.defaultCountryCode,
                            ids: environment.ids, now: environment.clock.now())
        let total = rows.count
        progress(.writing, 0, total)
        do {
            try await environment.store.importMembers(rows.map(\.member)) { done in progress(.writing, done, total) }
        } catch StoreError.identityTaken(let identity) {
            let line = rows.first { $0.member.identities.contains(identity) }?.line ?? 0
            throw RowError(line: line, message: "\(identity.kind.rawValue) \(identity.value) already belongs to a member; nothing was imported")
        }
        return total
    }
}
