import ArgumentParser
import Foundation
import TreuCore
import TreuServer

struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay a shop's history through one or two program drafts and report by month what each would have cost.",
        discussion: """
            Reads the history in the format of 'treu import' (orders, returns, actions), or without \
            --orders the database's own recorded history (--database). Nothing is \
            stored. Members redeem --redemption-rate of their available points at each month's end; a \
            point is worth --point-value minor units. Members are told apart by the first identity a row \
            gives (or member_id). Reports points issued, taken back, redeemed, expired, outstanding, the \
            liability and the cost as a share of revenue, then the totals side by side.
            """)
    @Option(name: .customLong("program"), help: "A program document (give two to compare).")
    var programs: [String] = []
    @Option(help: "The history, as 'treu import' reads it (default: the database's own).")
    var orders: String?
    @OptionGroup var common: CommonOptions
    @Option(help: "Minor units one point is worth when redeemed.")
    var pointValue: Double = 1
    @Option(help: "Share of available points redeemed at each month's end, 0 to 1.")
    var redemptionRate: Double = 0.3
    @Option(help: "table, csv or json.")
    var format = "table"

    func run() async throws {
        guard (1...2).contains(programs.count) else { throw ValidationError(message: "give one or two --program documents") }
        guard (0...1).contains(redemptionRate), pointValue >= 0 else { throw ValidationError(message: "--redemption-rate is 0 to 1 and --point-value not negative") }
        guard ["table", "csv", "json"].contains(format) else { throw ValidationError(message: "--format is table, csv or json") }
        let drafts = try programs.map { path in
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError(message: "cannot open \(path)") }
            do { return (path, try Program.parse(data)) } catch { throw ValidationError(message: "\(path):\n\(error)") }
        }
        let started = Date()
        let events: [Simulation.Event]
        if let orders {
            events = try cliResult { try OrderImport.read(path: orders, defaultCountryCode: nil, fingerprints: false) }.compactMap { Self.simulated($0.event) }
        } else {
            events = try await withEnvironment(common) { environment in
                try await cliResult { () async throws -> [Simulation.Event] in try await StoredHistory.simulationEvents(environment.store) }
            }
        }
        let read = Date()
        // Each draft on its own core.
        let (pointValue, redemptionRate) = (self.pointValue, self.redemptionRate)
        let reports = await withTaskGroup(of: (Int, String, [Simulation.Month]).self) { group in
            for (n, (path, program)) in drafts.enumerated() {
                group.addTask { (n, path, Simulation(program: program, pointValue: pointValue, redemptionRate: redemptionRate).run(events)) }
            }
            return await group.reduce(into: []) { $0.append($1) }.sorted { $0.0 < $1.0 }.map { ($0.1, $0.2) }
        }
        FileHandle.standardError.write(Data(String(format: "read %d events in %.2f s; simulated %d program(s) in %.2f s\n",
                                                   events.count, read.timeIntervalSince(started), drafts.count, Date().timeIntervalSince(read)).utf8))
        print(Self.render(reports, format: format), terminator: "")
    }

    /// An imported event as the simulation takes it (a file holds orders and returns only).
    static func simulated(_ event: IncomingEvent) -> Simulation.Event? {
        func key(_ member: MemberReference) -> String {
            switch member {
            case .id(let id): id.uuidString.lowercased()
            case .identities(let identities): identities.first.map { "\($0.kind.rawValue):\($0.value)" } ?? ""
            }
        }
        switch event {
        case let .order(order, member): return .order(order, member: key(member))
        case let .return(ret): return .return(ret)
        case let .action(action, member): return .action(action, member: key(member))
        case .referralReward, .tierDowngrade, .membership, .signup, .tierOverride: return nil
        }
    }

    static let columns = ["month", "orders", "revenue", "issued", "taken_back", "redeemed", "expired", "outstanding", "liability", "cost_share"]

    static func values(_ m: Simulation.Month) -> [String] {
        [m.month, "\(m.orders)", Money.decimalText(m.revenue, exponent: Money.decimals(m.currency)), "\(m.issued)", "\(m.reversed)", "\(m.redeemed)",
         "\(m.expired)", "\(m.outstanding)", Money.majorText(m.liability, m.currency), String(format: "%.2f%%", m.costShare * 100)]
    }

    static func render(_ reports: [(String, [Simulation.Month])], format: String) -> String {
        switch format {
        case "csv":
            var out = "program," + columns.joined(separator: ",") + "\n"
            for (name, months) in reports { for m in months { out += "\(name)," + values(m).joined(separator: ",") + "\n" } }
            return out
        case "json":
            let objects = reports.map { name, months -> [String: Any] in
                ["program": name, "months": months.map { m in
                    ["month": m.month, "orders": m.orders, "revenue": m.revenue, "issued": m.issued, "taken_back": m.reversed,
                     "redeemed": m.redeemed, "expired": m.expired, "outstanding": m.outstanding, "liability": m.liability, "cost_share": m.costShare] as [String: Any]
                }]
            }
            let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])) ?? Data()
            return String(decoding: data, as: UTF8.self) + "\n"
        default:
            var out = ""
            for (name, months) in reports {
                out += "\(name)\n" + table([columns] + months.map(values)) + "\n"
            }
            out += "totals\n" + table([["program", "revenue", "issued", "taken_back", "redeemed", "expired", "liability_at_end", "cost_share"]] + reports.map { name, months in
                let revenue = months.reduce(0) { $0.saturatingAdd($1.revenue) }, redeemed = months.reduce(0) { $0 + $1.redeemed }
                let value = months.first?.pointValue ?? 1
                let currency = months.first?.currency ?? "EUR"
                return [name, Money.decimalText(revenue, exponent: Money.decimals(currency)), "\(months.reduce(0) { $0 + $1.issued })", "\(months.reduce(0) { $0 + $1.reversed })",
                        "\(redeemed)", "\(months.reduce(0) { $0 + $1.expired })", Money.majorText(months.last?.liability ?? 0, currency),
                        String(format: "%.2f%%", revenue > 0 ? Double(redeemed) * value / Double(revenue) * 100 : 0)]
            })
            return out
        }
    }

    /// Columns padded to their widest cell; numbers right-aligned.
    static func table(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
