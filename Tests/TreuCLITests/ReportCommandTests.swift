import Foundation
import Testing

@Suite("Reports on the command line")
struct ReportCommandTests {
    /// Three customers: ana buys in January and March, ben in January (his order comes back
    /// whole), cem in February.
    static let history = """
        type,reference,at,email,currency,sku,quantity,unit_price,order_reference
        order,A-1,2026-01-10T10:00:00Z,ana@example.com,EUR,TEE,1,10000,
        order,B-1,2026-01-20T10:00:00Z,ben@example.com,EUR,TEE,1,5000,
        return,B-1-R,2026-01-25T10:00:00Z,,,,,,B-1
        order,C-1,2026-02-05T10:00:00Z,cem@example.com,EUR,CAP,2,1500,
        order,A-2,2026-03-03T10:00:00Z,ana@example.com,EUR,TEE,1,10000,
        """

    @Test func retentionCohortsAndRefusalsFromTheDatabase() throws {
        let treu = try Treu()
        try treu.write("history.csv", Self.history)
        #expect(try treu.run(["import", "history.csv"]).status == 0)

        let quarter = try treu.run(["report", "retention", "--from", "2026-01-01", "--to", "2026-03-31", "--period", "quarter",
                                    "--active-days", "30", "--format", "csv"])
        #expect(quarter.status == 0, "\(quarter.errors)")
        let lines = quarter.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "period,S,E,N,kept,CRR %,repeat-buyer %,churn %,buyers,orders,revenue,repeat purchase %,orders/buyer,AOV")
        // Nobody was a customer as the quarter opened; ana and cem are new, only ana bought within
        // 30 days of 03-31; ben's order came back: no purchase. Revenue €100 + €30 + €100.
        #expect(lines.dropFirst().first == "2026-Q1,0,1,2,0,,,,2,3,230.00,50.0,1.50,76.67")
        // By month, the last row is the whole range at once: the quarter's figures again (the
        // months' orders add up to 3, but S, E and the rates are the range's own, not sums).
        let months = try treu.run(["report", "retention", "--from", "2026-01-01", "--to", "2026-03-31", "--period", "month",
                                   "--active-days", "30", "--format", "csv"]).output.split(separator: "\n").map(String.init)
        #expect(months.count == 5 && months[1].hasPrefix("2026-01,0,1,1,0"))
        #expect(months.last == "2026-01-01 to 2026-03-31,0,1,2,0,,,,2,3,230.00,50.0,1.50,76.67")

        let cohorts = try treu.run(["report", "cohorts", "--from", "2026-01-01", "--to", "2026-03-31", "--format", "json"])
        #expect(cohorts.status == 0, "\(cohorts.errors)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(cohorts.output.utf8)) as? [String: Any])
        let rows = try #require(json["cohorts"] as? [[String: Any]])
        #expect(rows.compactMap { $0["cohort"] as? String } == ["2026-01", "2026-02"])
        #expect(rows.first?["active"] as? [Int] == [1, 0, 1])
        #expect(rows.first?["revenue"] as? [Int] == [10_000, 0, 10_000])

        let table = try treu.run(["report", "rfm", "--to", "2026-03-31"])
        #expect(table.status == 0 && table.output.hasPrefix("RFM segments on 2026-03-31: 2 customers"), "\(table.output)")

        // No referrals yet: no senders; the spenders are ana (€200) and cem (€30).
        let senders = try treu.run(["report", "senders", "--format", "csv"])
        #expect(senders.status == 0, "\(senders.errors)")
        let spenders = senders.output.split(separator: "\n").filter { $0.hasSuffix(",200.00,2") || $0.hasSuffix(",30.00,1") }
        #expect(senders.output.hasPrefix("member,brought,rewarded,friends' spend,own spend,orders\n") && spenders.count == 2, "\(senders.output)")

        // One customer as of a day: ana bought on 01-10 and 03-03 (52 days: 7.4 weeks) and is
        // 80 days old on 03-31 (11.4 weeks); two customers are too few to fit, so no forecast.
        let spending = try #require(try JSONSerialization.jsonObject(with: Data(try treu.run(["report", "senders", "--format", "json"]).output.utf8)) as? [String: Any])
        let ana = try #require((spending["top_spenders"] as? [[String: Any]])?.first?["member_id"] as? String)
        let one = try treu.run(["report", "clv", "--member", ana, "--as-of", "2026-03-31", "--format", "csv"])
        #expect(one.status == 0, "\(one.errors)")
        for line in ["days with a purchase,2", "repeat purchases (frequency),1", "\"recency, weeks\",7.4", "\"age, weeks\",11.4", "P(alive),–", "historic value,200.00"] {
            #expect(one.output.contains(line + "\n"), "\(line) in \(one.output)")
        }
        #expect(try treu.run(["report", "clv", "--member", "nope"]).errors == "Error: --member is a member's id (a UUID)\n")
        #expect(try treu.run(["report", "clv", "--as-of", "2026-03-31", "--to", "2026-03-30"]).errors.contains("--as-of and --to"))

        let backwards = try treu.run(["report", "program", "--from", "2026-03-01", "--to", "2026-01-31"])
        #expect(backwards.status != 0)
        #expect(backwards.errors == "Error: --from is on or before to (2026-01-31)\n")
        let unknown = try treu.run(["report", "churnometer"])
        #expect(unknown.status != 0 && unknown.errors.contains("no report 'churnometer': choose retention, cohorts, rfm, clv, program, senders"))
    }
}
