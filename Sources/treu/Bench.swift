import ArgumentParser
import Foundation
import TreuAnalytics

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks that print figures (see docs/benchmarks.md).", subcommands: [CLV.self])

    struct CLV: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clv",
            abstract: "Fit BG/NBD and Gamma-Gamma on simulated customers and print the time each fit takes.",
            discussion: "With --write, the data also goes to a CSV (frequency,recency,T,monetary_value) for scripts/bench-clv to fit with the Python package lifetimes.")

        @Option(help: "How many customers to simulate.") var customers = 1_000_000
        @Option(help: "Seed of the simulation.") var seed: UInt64 = 20261125
        @Option(help: "Write the simulated customers to this CSV file.") var write: String?

        func run() throws {
            var generator = SplitMix64(seed: seed)
            let truth = BGNBD(r: 0.25, alpha: 4.4, a: 0.8, b: 2.4)
            let spend = GammaGamma(p: 6, q: 3.7, gamma: 15)
            // Observed 1 to 104 whole weeks; purchase times to the day, as a shop's data would be.
            let ages = (0..<customers).map { _ in Double(Int.random(in: 1...104, using: &generator)) }
            let histories = truth.simulate(ages: ages, using: &generator).map { h in
                PurchaseHistory(frequency: h.frequency, recency: (h.recency * 7).rounded() / 7, age: h.age)
            }
            let values = spend.simulate(transactions: histories.map { max($0.frequency, 1) }, using: &generator)
            let repeaters = zip(histories, values).filter { $0.0.frequency > 0 }.map { (transactions: $0.0.frequency, meanValue: $0.1.meanValue) }
            if let write {
                var csv = "frequency,recency,T,monetary_value\n"
                csv.reserveCapacity(customers * 32)
                for (h, v) in zip(histories, values) {
                    csv += "\(h.frequency),\(h.recency),\(h.age),\(h.frequency > 0 ? v.meanValue : 0)\n"
                }
                try csv.write(toFile: write, atomically: true, encoding: .utf8)
            }
            let start = ContinuousClock.now
            let packed = PackedHistories(histories)
            let packedAt = ContinuousClock.now
            let (model, logLikelihood, evaluations) = BGNBD.fit(packed)
            let fittedAt = ContinuousClock.now
            let (spendModel, _, spendEvaluations) = GammaGamma.fitLarge(repeaters)
            let spendAt = ContinuousClock.now
            func seconds(_ d: Duration) -> String { String(format: "%.3f", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18) }
            print("customers \(customers), distinct histories \(packed.rows), repeat buyers \(repeaters.count)")
            print("treu bgnbd r=\(model.r) alpha=\(model.alpha) a=\(model.a) b=\(model.b) ll=\(logLikelihood) evaluations=\(evaluations) seconds=\(seconds(fittedAt - start)) (packing \(seconds(packedAt - start)))")
            print("treu gammagamma p=\(spendModel.p) q=\(spendModel.q) v=\(spendModel.gamma) evaluations=\(spendEvaluations) seconds=\(seconds(spendAt - fittedAt))")
        }
    }
}
