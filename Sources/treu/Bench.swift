import ArgumentParser
import Foundation
import TreuAnalytics
import TreuCore
import TreuServer

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks that print figures (see docs/benchmarks.md).", subcommands: [CLV.self, TierLevels.self, Coupons.self])

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

    struct TierLevels: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tiers",
            abstract: "Time `treu tiers recompute` over members with synthetic qualifying counters, against reading those counters.",
            discussion: """
                Writes --members members with a year's spend each (in counters, as events keep them) and a \
                program with Silver and Gold into an empty database (--database), then times: reading every \
                member's counters (the floor), the first recompute (every level recorded), and a second one \
                (nothing to change).
                """)

        @OptionGroup var common: CommonOptions
        @Option(help: "How many members.") var members = 1_000_000
        @Option(help: "Seed of the synthetic spend.") var seed: UInt64 = 20261126

        func run() async throws {
            try await withEnvironment(common) { environment in
                let store = environment.store
                guard try await store.memberCount() == 0 else { throw ValidationError(message: "--database holds members: give an empty one") }
                let now = environment.clock.now()
                var random = SplitMix64(seed: seed)
                let seeding = ContinuousClock.now
                var spend: [UUID: Int] = [:]
                for start in stride(from: 0, to: members, by: 50_000) {
                    let batch = try (start..<min(start + 50_000, members)).map { i in
                        try Enrolment(identities: [Identity(.customerID, "bench-\(i)")]).makeMember(id: environment.ids.next(), now: now)
                    }
                    try await store.importMembers(batch, progress: nil)
                    // Spend this year: most little, some much (Silver from €500, Gold from €1,500).
                    for member in batch { spend[member.id] = Int(pow(Double(random.next() % 10_000) / 10_000, 3) * 300_000) }
                }
                let year = CalendarDate(now, in: TimeZone(identifier: "UTC")!).year
                let ids = spend.keys.sorted { $0.uuidString < $1.uuidString }
                let counts = spend
                for start in stride(from: 0, to: ids.count, by: 5_000) {
                    _ = try await store.changeCounters(of: Array(ids[start..<min(start + 5_000, ids.count)])) { member, _ in
                        ["q:spend:\(year)": counts[member] ?? 0, "q:orders:\(year)": 1]
                    }
                }
                let document = Program.standardDocument.replacingOccurrences(of: #""name": "Treu standard program","#, with: #"""
                    "name": "bench", "tiers": {"metric": "spend", "window": "calendar_year", "levels": [
                      {"name": "Silver", "threshold": 50000}, {"name": "Gold", "threshold": 150000}]},
                    """#)
                _ = try await store.addProgramVersion(document: document, effectiveFrom: now, createdAt: now, createdBy: "bench")
                let seeded = ContinuousClock.now

                var read = 0
                var after: UUID?
                while let last = try await store.counters(after: after, limit: 2_000).last?.member {
                    read += 1
                    after = last
                }
                let floorEnd = ContinuousClock.now
                let recompute = TierRecompute(store: store, programs: ProgramService(store: store))
                let first = try await recompute.run(at: now, recount: false)
                let firstEnd = ContinuousClock.now
                let second = try await recompute.run(at: now, recount: false)
                let secondEnd = ContinuousClock.now
                func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
                let floor = seconds(floorEnd - seeded), a = seconds(firstEnd - floorEnd), b = seconds(secondEnd - firstEnd)
                print("\(store.backendName): \(members) members written in \(String(format: "%.1f", seconds(seeded - seeding))) s")
                print(String(format: "read every member's counters (floor): %.2f s", floor))
                let levels = first.levels.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                print("recompute, every level recorded (\(first.changed) changed; \(levels)): "
                      + String(format: "%.2f s, %.0f members/s, %.1f × the floor", a, Double(first.members) / a, a / floor))
                print(String(format: "recompute, nothing to change (%d changed): %.2f s, %.0f members/s, %.1f × the floor",
                             second.changed, b, Double(second.members) / b, b / floor))
            }
        }
    }

    struct Coupons: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "coupons",
            abstract: "Generate a coupon campaign's codes, check them, and time validating known against unknown codes.",
            discussion: """
                Into an empty database (--database): a campaign of --codes codes by the default pattern \
                (####-####-####), timed; every code read back (distinct by the key, each of 12 symbols of the \
                alphabet without look-alikes); then --checks validations of known codes and as many of codes \
                nobody holds, interleaved, with their mean times.
                """)

        @OptionGroup var common: CommonOptions
        @Option(help: "How many codes.") var codes = 1_000_000
        @Option(help: "How many validations of each kind.") var checks = 20_000

        func run() async throws {
            try await withEnvironment(common) { environment in
                let store = environment.store
                let started = ContinuousClock.now
                let campaign = try await environment.campaigns.create(
                    name: "bench", reward: Reward(id: "bench", kind: .fixedDiscount(amount: 500), cost: 0, title: [:]), count: codes,
                    pattern: CouponCampaign.defaultPattern, expiresAt: nil, budget: .init())
                let made = ContinuousClock.now
                var read: [String] = []
                read.reserveCapacity(codes)
                var after: String?
                while true {
                    let page = try await store.campaignCodes(of: campaign.id, after: after, limit: 10_000)
                    guard let last = page.last else { break }
                    read += page.map(\.code)
                    after = last.code
                }
                let readAt = ContinuousClock.now
                let alphabet = Set(ShortCode.alphabet)
                let wellFormed = read.allSatisfy { code in
                    code.count == 14 && code.split(separator: "-").map(\.count) == [4, 4, 4] && code.filter { $0 != "-" }.allSatisfy(alphabet.contains)
                }
                let cart = Cart(currency: "EUR", lines: [OrderLine(sku: "TEE", category: nil, quantity: 1, unitPrice: 4_000)])
                func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
                var random = SplitMix64(seed: 7)
                /// Mean times of validating known and unknown codes, `count` of each.
                func time(_ rewards: RewardService, _ count: Int) async throws -> (known: Double, unknown: Double) {
                    var known = Duration.zero, unknown = Duration.zero
                    for i in 0..<count {
                        let code = read[Int(random.next() % UInt64(read.count))]
                        let stranger = ShortCode.coupon(from: UUID())
                        // Interleaved, the order switching, so that neither kind gets the warmer cache.
                        for first in (i % 2 == 0 ? [true, false] : [false, true]) {
                            let start = ContinuousClock.now
                            _ = try await rewards.validate(first ? code : stranger, cart: cart, member: nil)
                            if first { known += ContinuousClock.now - start } else { unknown += ContinuousClock.now - start }
                        }
                    }
                    return (seconds(known) / Double(count) * 1e6, seconds(unknown) / Double(count) * 1e6)
                }
                let work = try await time(RewardService(store: store, clock: environment.clock, ids: environment.ids,
                                                        programs: environment.programs, answerFloor: .zero), checks)
                let answered = try await time(environment.rewards, max(checks / 4, 1))
                print("\(store.backendName): \(codes) codes generated and stored in " + String(format: "%.1f s (%.0f codes/s)", seconds(made - started),
                                                                                                   Double(codes) / seconds(made - started)))
                print("read back \(read.count) codes, \(Set(read).count) distinct, every one of 12 symbols without look-alikes: \(wellFormed) ("
                      + String(format: "%.1f s)", seconds(readAt - made)))
                print(String(format: "validate, the work: known code %.1f µs, unknown code %.1f µs (unknown/known %.3f), %d of each",
                             work.known, work.unknown, work.unknown / work.known, checks))
                print(String(format: "validate, as answered (2 ms floor): known code %.1f µs, unknown code %.1f µs (unknown/known %.3f), %d of each",
                             answered.known, answered.unknown, answered.unknown / answered.known, max(checks / 4, 1)))
            }
        }
    }
}
