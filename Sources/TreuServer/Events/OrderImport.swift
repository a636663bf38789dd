import Crypto
import Foundation
import Synchronization
import TreuCore
import TreuStore

/// Imports a shop's history of orders, returns and actions from a CSV file. Every row is checked
/// first; a file with a bad row is refused whole, each bad row named by its line. A good file is
/// written in batches, each one transaction, so an import that stops (a crash, a kill) and runs
/// again skips what was written — each event's reference is recorded once — and writes the rest.
///
/// One row per order line; consecutive rows with the same `reference` are one event. Columns (a
/// header row names them, in any order): `type` (order, return or action; order when absent),
/// `reference`, `at` (RFC 3339, or a day), the member as `member_id` or `email`, `phone`, `card`,
/// `customer_id`; for orders `currency`, `channel`, `order_discount`, `shipping` and per line
/// `sku`, `category`, `quantity`, `unit_price`, `discount` (amounts in minor units); for returns
/// `order_reference` and lines by `sku` and `quantity` (none: the whole order); for actions
/// `name` and `prop.NAME` properties.
public enum OrderImport {
    public struct FileError: Error, CustomStringConvertible {
        public let problems: [(line: Int, message: String)]
        init(problems: [(line: Int, message: String)]) { self.problems = problems.sorted { $0.line < $1.line } }
        public var description: String { problems.map { "line \($0.line): \($0.message)" }.joined(separator: "\n") }
    }

    public struct Summary: Sendable {
        public var events = 0
        public var recorded = 0
        /// Recorded by an earlier run of the same import.
        public var replayed = 0
        /// Refused when written (a return of an unknown order, more returned than bought), by line.
        public var refused: [(line: Int, message: String)] = []

        /// Counts what became of a row's event.
        mutating func count(_ outcome: EventOutcome, of row: Row) {
            switch outcome {
            case .recorded: recorded += 1
            case .replay: replayed += 1
            case .mismatch: refused.append((row.line, "reference \(row.event.reference) was recorded before with other content"))
            case .refused(let error): refused.append((row.line, Problem.from(error).detail))
            }
        }
    }

    public enum Phase: Sendable { case reading, writing }

    static let headerColumns = ["type", "reference", "at", "member_id", "email", "phone", "card", "customer_id", "currency", "channel",
                                "order_discount", "shipping", "order_reference", "name"]
    static let lineColumns = ["sku", "category", "quantity", "unit_price", "discount"]
    /// How many bad rows are listed before giving up on a file.
    static let maxProblems = 20

    public typealias Row = (line: Int, event: IncomingEvent, fingerprint: String)

    /// Reads and checks every row.
    /// - Throws: `FileError` with every bad row (up to 20).
    /// - Parameter fingerprints: false when the rows are not to be recorded (a simulation): hashing is a tenth of reading.
    public static func read(path: String, defaultCountryCode: String?, fingerprints: Bool = true,
                            progress: (Int, Int) -> Void = { _, _ in }) throws -> [Row] {
        var file: CSVFile
        do { file = try CSVFile(path: path) } catch let error as CSVFile.FormatError {
            throw FileError(problems: [(error.line, error.message)])
        }
        guard let header = try? file.next() else { throw FileError(problems: [(1, "the file is empty: it needs a header row")]) }
        let names = header.fields.map { $0.lowercased() }
        for name in names where !headerColumns.contains(name) && !lineColumns.contains(name) && !name.hasPrefix("prop.") {
            throw FileError(problems: [(1, "unknown column '\(name)'; known: \((headerColumns + lineColumns).joined(separator: ", ")), prop.NAME")])
        }
        guard names.contains("reference") else { throw FileError(problems: [(1, "the header has no column 'reference'")]) }
        var events = Grouper(names: names, columns: Columns(names), defaultCountryCode: defaultCountryCode, fingerprints: fingerprints)
        var read = 0
        while true {
            let row: (line: Int, fields: [String])
            do {
                guard let next = try file.next() else { break }
                row = next
            } catch let error as CSVFile.FormatError {
                try events.fail(error.line, error.message)
                break
            }
            try events.add(row)
            read += 1
            if read % 10_000 == 0 { progress(file.progress.done, file.progress.total) }
        }
        try events.finish()
        progress(file.progress.total, file.progress.total)
        guard events.problems.isEmpty else { throw FileError(problems: events.problems) }
        return events.rows
    }

    /// Gathers consecutive rows of one reference into an event, and the problems found.
    struct Grouper {
        let names: [String]
        fileprivate let columns: Columns
        let defaultCountryCode: String?
        let fingerprints: Bool
        var rows: [Row] = []
        var problems: [(line: Int, message: String)] = []
        var group: [(line: Int, fields: [String])] = []
        var seen: [String: Int] = [:]

        fileprivate init(names: [String], columns: Columns, defaultCountryCode: String?, fingerprints: Bool) {
            self.names = names
            self.columns = columns
            self.defaultCountryCode = defaultCountryCode
            self.fingerprints = fingerprints
        }

        mutating func fail(_ line: Int, _ message: String) throws {
            problems.append((line, message))
            if problems.count >= maxProblems { throw FileError(problems: problems) }
        }

        mutating func add(_ row: (line: Int, fields: [String])) throws {
            if row.fields.allSatisfy(\.isEmpty) { return }
            guard row.fields.count == names.count else {
                return try fail(row.line, "\(row.fields.count) fields where the header has \(names.count)")
            }
            if let first = group.first, columns.value("reference", first.fields) != columns.value("reference", row.fields) {
                try finish()
            }
            group.append(row)
        }

        mutating func finish() throws {
            guard let first = group.first else { return }
            let rows = group
            group.removeAll(keepingCapacity: true)
            let reference = columns.value("reference", first.fields) ?? ""
            if let earlier = seen[reference] {
                return try fail(first.line, "reference \(reference) was on line \(earlier) already, apart from this row")
            }
            seen[reference] = first.line
            let event: IncomingEvent
            do {
                event = try columns.event(rows, defaultCountryCode: defaultCountryCode)
            } catch {
                return try fail(first.line, error.message)
            }
            self.rows.append((first.line, event, fingerprints ? fingerprint(names, rows) : ""))
        }
    }

    /// The rows' content as read, so a changed row under a recorded reference is told from a rerun.
    static func fingerprint(_ names: [String], _ group: [(line: Int, fields: [String])]) -> String {
        var hasher = SHA256()
        hasher.update(data: Data(names.joined(separator: "\u{1f}").utf8))
        for row in group {
            hasher.update(data: Data("\u{1e}".utf8))
            hasher.update(data: Data(row.fields.joined(separator: "\u{1f}").utf8))
        }
        return Hex.encode(hasher.finalize())
    }

    /// Reads, checks and writes the file in batches of `batchSize` events. On a store where
    /// several transactions gain from running at once (PostgreSQL), the events are written by as
    /// many lanes (`lanes(of:count:holders:)`), each in the file's order.
    public static func run(path: String, environment: TreuEnvironment, batchSize: Int = 2_000,
                           progress: @escaping @Sendable (Phase, Int, Int) -> Void = { _, _, _ in }) async throws -> Summary {
        let rows = try read(path: path, defaultCountryCode: environment.configuration.defaultCountryCode) { done, total in
            progress(.reading, done, total)
        }
        let events = environment.events.importing()
        let writers = environment.store.concurrentWriters
        let lanes = writers > 1
            ? lanes(of: rows, count: writers, holders: try await environment.store.holders(of: rows.flatMap { identities(of: $0.event) }))
            : [Array(rows.indices)]
        progress(.writing, 0, rows.count)
        let written = Counter()
        // Each lane counts its own outcomes; the lanes' counts add up, their refusals by line.
        var summary = try await withThrowingTaskGroup(of: Summary.self) { group in
            for lane in lanes where !lane.isEmpty {
                group.addTask {
                    var summary = Summary()
                    for start in stride(from: 0, to: lane.count, by: batchSize) {
                        let batch = lane[start..<min(start + batchSize, lane.count)]
                        let outcomes = try await events.record(batch.map { (rows[$0].event, rows[$0].fingerprint) })
                        for (index, outcome) in zip(batch, outcomes) { summary.count(outcome, of: rows[index]) }
                        progress(.writing, written.add(batch.count), rows.count)
                    }
                    return summary
                }
            }
            return try await group.reduce(into: Summary()) { total, lane in
                total.recorded += lane.recorded
                total.replayed += lane.replayed
                total.refused += lane.refused
            }
        }
        summary.events = rows.count
        summary.refused.sort { $0.line < $1.line }
        return summary
    }

    /// The identities an event names its customer by.
    static func identities(of event: IncomingEvent) -> [Identity] {
        switch event {
        case .order(_, member: .identities(let identities)), .action(_, member: .identities(let identities)),
             .membership(_, member: .identities(let identities)):
            identities
        default: []
        }
    }

    /// Splits the rows into `count` lanes whose events can be written at once without changing
    /// any customer's history: events that share an identity, a member id or a holder of one of
    /// their identities (`holders`, as stored), and an order with its returns, are in one lane,
    /// in the file's order. Groups go to the lane with the fewest events so far, largest first.
    /// A file returning an order it does not hold (one imported or sent before) is one lane: that
    /// return's customer is only known to the store.
    static func lanes(of rows: [Row], count: Int, holders: [Identity: UUID]) -> [[Int]] {
        var parent: [Int] = []
        var keyIndex: [String: Int] = [:]
        func node(_ key: String) -> Int {
            if let n = keyIndex[key] { return n }
            parent.append(parent.count)
            keyIndex[key] = parent.count - 1
            return parent.count - 1
        }
        func root(_ n: Int) -> Int {
            var n = n
            while parent[n] != n {
                parent[n] = parent[parent[n]]
                n = parent[n]
            }
            return n
        }
        var firstNode: [Int] = []
        firstNode.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            var keys: [String] = []
            switch row.event {
            case let .order(order, member): keys = ["order:" + order.reference] + Self.keys(member, holders)
            case let .action(_, member), let .membership(_, member): keys = Self.keys(member, holders)
            case let .return(ret):
                // Its order was met above (its key is known), or the file does not hold it.
                guard keyIndex["order:" + ret.orderReference] != nil else { return [Array(rows.indices)] }
                keys = ["order:" + ret.orderReference]
            case .referralReward, .tierDowngrade, .signup, .tierOverride: break
            }
            // An event with nothing to share is a group of its own.
            let nodes = (keys.isEmpty ? ["row:\(index)"] : keys).map(node)
            for other in nodes.dropFirst() {
                let (a, b) = (root(nodes[0]), root(other))
                if a != b { parent[b] = a }
            }
            firstNode.append(nodes[0])
        }
        var groups: [Int: [Int]] = [:]
        for index in rows.indices { groups[root(firstNode[index]), default: []].append(index) }
        var lanes = Array(repeating: [Int](), count: max(1, count))
        for group in groups.values.sorted(by: { ($0.count, $1[0]) > ($1.count, $0[0]) }) {
            let lane = lanes.indices.min { lanes[$0].count < lanes[$1].count }!
            lanes[lane] += group
        }
        return lanes.map { $0.sorted() }
    }

    private static func keys(_ member: MemberReference, _ holders: [Identity: UUID]) -> [String] {
        switch member {
        case .id(let id): return ["member:" + id.uuidString]
        case .identities(let identities):
            return identities.flatMap { identity in
                ["identity:\(identity.kind.rawValue):\(identity.value)"] + (holders[identity].map { ["member:" + $0.uuidString] } ?? [])
            }
        }
    }
}

/// A count that several tasks add to.
private final class Counter: Sendable {
    private let value = Mutex(0)
    /// Adds `n`; returns the new total.
    func add(_ n: Int) -> Int { value.withLock { $0 += n; return $0 } }
}

/// Where each column is, and how rows become events.
private struct Columns {
    let index: [String: Int]
    let properties: [(name: String, index: Int)]

    init(_ names: [String]) {
        var index: [String: Int] = [:]
        for (n, name) in names.enumerated() where index[name] == nil { index[name] = n }
        self.index = index
        properties = names.enumerated().filter { $0.element.hasPrefix("prop.") }.map { (String($0.element.dropFirst(5)), $0.offset) }
    }

    func value(_ column: String, _ fields: [String]) -> String? {
        guard let n = index[column], !fields[n].isEmpty else { return nil }
        return fields[n]
    }

    func integer(_ column: String, _ fields: [String]) throws(ValidationError) -> Int? {
        guard let text = value(column, fields) else { return nil }
        guard let number = Int(text) else {
            throw ValidationError(code: "invalid_field", field: column, message: "\(column) is a whole number (minor units for amounts), not '\(text)'")
        }
        return number
    }

    func event(_ rows: [(line: Int, fields: [String])], defaultCountryCode: String?) throws(ValidationError) -> IncomingEvent {
        let first = rows[0].fields
        let reference = value("reference", first) ?? ""
        guard let atText = value("at", first) else {
            throw ValidationError(code: "missing_field", field: "at", message: "an imported event has a time (at)")
        }
        guard let at = Timestamp.parse(atText) else {
            throw ValidationError(code: "invalid_time", field: "at", message: "'\(atText)' is not a time like 2026-11-25T18:02:19Z or a day like 2026-11-25")
        }
        for row in rows.dropFirst() {
            for column in OrderImport.headerColumns where value(column, row.fields) != nil && value(column, row.fields) != value(column, first) {
                throw ValidationError(code: "invalid_field", field: column,
                                      message: "line \(row.line) gives \(column) '\(value(column, row.fields) ?? "")' where the event's first row has '\(value(column, first) ?? "")'")
            }
        }
        switch value("type", first)?.lowercased() ?? "order" {
        case "order":
            guard let currency = value("currency", first) else {
                throw ValidationError(code: "missing_field", field: "currency", message: "an order has a currency")
            }
            var lines: [OrderLine] = []
            for row in rows {
                guard let sku = value("sku", row.fields) else {
                    throw ValidationError(code: "missing_field", field: "sku", message: "line \(row.line): an order line has a sku")
                }
                guard let price = try integer("unit_price", row.fields) else {
                    throw ValidationError(code: "missing_field", field: "unit_price", message: "line \(row.line): an order line has a unit_price")
                }
                lines.append(OrderLine(sku: sku, category: value("category", row.fields), quantity: try integer("quantity", row.fields) ?? 1,
                                       unitPrice: price, discount: try integer("discount", row.fields) ?? 0))
            }
            let order = Order(reference: reference, at: at, channel: value("channel", first), currency: currency.uppercased(), lines: lines,
                              orderDiscount: try integer("order_discount", first) ?? 0, shipping: try integer("shipping", first) ?? 0)
            if let problem = order.problems().first { throw problem }
            return .order(order, member: try member(first, defaultCountryCode))
        case "return":
            guard let orderReference = value("order_reference", first) else {
                throw ValidationError(code: "missing_field", field: "order_reference", message: "a return names its order_reference")
            }
            var lines: [Return.ReturnedLine] = []
            for row in rows {
                guard let sku = value("sku", row.fields) else { continue }
                lines.append(Return.ReturnedLine(sku: sku, quantity: try integer("quantity", row.fields) ?? 1))
            }
            return .return(Return(reference: reference, orderReference: orderReference, at: at, lines: lines.isEmpty ? nil : lines))
        case "action":
            guard let name = value("name", first) else {
                throw ValidationError(code: "missing_field", field: "name", message: "an action has a name, such as review")
            }
            var props: [String: String] = [:]
            for (name, n) in properties where !first[n].isEmpty { props[name] = first[n] }
            let action = Action(reference: reference, name: name, at: at, properties: props)
            if let problem = action.problems().first { throw problem }
            return .action(action, member: try member(first, defaultCountryCode))
        case let other:
            throw ValidationError(code: "unknown_event_type", field: "type", message: "type is order, return or action, not '\(other)'")
        }
    }

    func member(_ fields: [String], _ defaultCountryCode: String?) throws(ValidationError) -> MemberReference {
        if let text = value("member_id", fields) {
            guard let id = UUID(uuidString: text) else {
                throw ValidationError(code: "invalid_field", field: "member_id", message: "member_id is a UUID, not '\(text)'")
            }
            return .id(id)
        }
        var identities: [Identity] = []
        if let raw = value("email", fields) { identities.append(try Identity(.email, raw)) }
        if let raw = value("phone", fields) { identities.append(try Identity(.phone, raw, defaultCountryCode: defaultCountryCode)) }
        if let raw = value("card", fields) { identities.append(try Identity(.card, raw)) }
        if let raw = value("customer_id", fields) { identities.append(try Identity(.customerID, raw)) }
        guard !identities.isEmpty else {
            throw ValidationError(code: "member_required", field: "member",
                                  message: "an event names its member: member_id, email, phone, card or customer_id")
        }
        return .identities(identities)
    }
}
