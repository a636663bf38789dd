import Foundation
import Testing
import TreuAnalytics

/// The CDNOW sample of the papers: 2,357 customers observed for 39 weeks (see Fixtures/README.md).
enum CDNOW {
    struct Customer {
        var history: PurchaseHistory
        var meanRepeatValue: Double
    }

    static func customers() throws -> [Customer] {
        let url = try #require(Bundle.module.url(forResource: "cdnow_customers", withExtension: "csv", subdirectory: "Fixtures"))
        return try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst().map { line in
            let f = line.split(separator: ",")
            return Customer(history: PurchaseHistory(frequency: Int(f[1])!, recency: Double(f[2])!, age: Double(f[3])!),
                            meanRepeatValue: Double(f[4])!)
        }
    }
}
