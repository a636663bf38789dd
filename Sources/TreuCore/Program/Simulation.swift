import Foundation

/// Replays a shop's history through a program in memory — nothing is stored — and reports, by
/// month in the program's time zone, what the program would have done: points issued and taken
/// back, redeemed (at an assumed rate: each month's end, members spend that share of their
/// available points), expired, what is outstanding, the liability in money, and the cost as a
/// share of revenue. "Which formula is best" is then a comparison of two reports.
public struct Simulation: Sendable {
    public enum Event: Sendable {
        case order(Order, member: String)
        case `return`(Return)
        case action(Action, member: String)

        var at: Date {
            switch self {
            case .order(let order, _): order.at
            case .return(let ret): ret.at
            case .action(let action, _): action.at
            }
        }
    }

    public struct Month: Equatable, Sendable {
        /// `2026-03`.
        public var month: String
        public var orders = 0
        /// Net of discounts, minor units, in the program's currency.
        public var revenue = 0
        public var issued = 0
        public var reversed = 0
        public var redeemed = 0
        public var expired = 0
        /// Points held at the month's end (available and pending).
        public var outstanding = 0
        /// What redeemed points cost, as a share of revenue.
        public var costShare: Double { revenue > 0 ? Double(redeemed) * pointValue / Double(revenue) : 0 }
        public var pointValue = 1.0
        /// The program's currency (revenue and liability are in its minor units).
        public var currency = "EUR"
        public var liability: Double { Double(outstanding) * pointValue }
    }

    public var program: Program
    /// Minor units of the currency one point is worth when redeemed (1: a cent).
    public var pointValue: Double
    /// The share of their available points members redeem at each month's end.
    public var redemptionRate: Double

    public init(program: Program, pointValue: Double = 1, redemptionRate: Double = 0.3) {
        self.program = program
        self.pointValue = pointValue
        self.redemptionRate = redemptionRate
    }

    public func run(_ events: [Event]) -> [Month] {
        let events = events.sorted { $0.at < $1.at }
        guard let first = events.first, let last = events.last else { return [] }
        let calendar = program.calendar
        var ledgers: [String: MemberLedger] = [:]
        var orders: [String: (member: String, order: Order, parts: [EarnedPart])] = [:]
        var returns: [String: [Return]] = [:]
        var taken: [String: [String: Int]] = [:]
        var tallies: [String: [Date]] = [:]
        var months: [Month] = []
        var monthEnd = calendar.dateInterval(of: .month, for: first.at)!.end
        var current = Month(month: Self.label(first.at, calendar), pointValue: pointValue, currency: program.currency)

        func closeMonth() {
            // Pending points released and lots expired up to the month's end, then redemptions.
            var outstanding = 0
            // In place, through the dictionary's values: a copy would copy every lot each month.
            // (Walking indices by hand: `values.indices` would hold the storage and make each write copy it.)
            var index = ledgers.values.startIndex
            while index != ledgers.values.endIndex {
                defer { ledgers.values.formIndex(after: &index) }
                ledgers.values[index].releasePending(at: monthEnd)
                current.expired -= ledgers.values[index].expire(at: monthEnd).reduce(0) { $0 + $1.points }
                let spend = Int(Double(ledgers.values[index].balance.available) * redemptionRate)
                if spend > 0, (try? ledgers.values[index].debit(spend, at: monthEnd, cause: Cause(reason: "simulated redemption"))) != nil {
                    current.redeemed += spend
                }
                ledgers.values[index].forgetEntries()
                ledgers.values[index].dropClosedLots(creditedBefore: monthEnd.addingTimeInterval(-400 * 86_400))
                let balance = ledgers.values[index].balance
                outstanding += balance.available + balance.pending
            }
            current.outstanding = outstanding
            months.append(current)
            current = Month(month: Self.label(monthEnd, calendar), pointValue: pointValue, currency: program.currency)
            monthEnd = calendar.date(byAdding: .month, value: 1, to: monthEnd)!
        }

        // Release and expiry depend on the order's day in the program's zone alone: computed once
        // a day, not once an order (the calendar's arithmetic is most of an order's time).
        var datesByDay: [Int: (release: Date, expiry: Date?)] = [:]
        func dates(_ at: Date) -> (release: Date, expiry: Date?) {
            let day = CalendarDate.dayNumber(at, in: program.timeZone)
            let known = datesByDay[day] ?? {
                let computed = (program.releaseDate(of: at), program.expiryDate(earnedAt: at))
                datesByDay[day] = computed
                return computed
            }()
            return (program.pendingDays == 0 ? at : known.release, known.expiry)
        }

        for event in events {
            while event.at >= monthEnd { closeMonth() }
            switch event {
            case let .order(order, member):
                var ledger = ledgers.removeValue(forKey: member) ?? MemberLedger()
                defer { ledger.forgetEntries(); ledgers[member] = ledger }
                let evaluation = program.evaluate(order, history: MemberHistory(earlier: tallies["o:" + member] ?? []), counters: &ledger.counters,
                                                  dates: dates(order.at))
                let effects = evaluation.effects
                tallies["o:" + member, default: []].append(order.at)
                if (try? ledger.apply(effects, event: order.reference, at: order.at, policy: .clawBack)) != nil {
                    current.issued += effects.credited
                }
                if order.currency == program.currency { current.revenue = current.revenue.saturatingAdd(order.netOfDiscounts.minorUnits) }
                current.orders += 1
                orders[order.reference] = (member, order, evaluation.parts)
            case let .return(ret):
                guard let (member, order, parts) = orders[ret.orderReference], var ledger = ledgers.removeValue(forKey: member) else { continue }
                defer { ledger.forgetEntries(); ledgers[member] = ledger }
                let earned = ledger.lots.filter { $0.source == order.reference }.reduce(0) { $0 + $1.points }
                let earlier = returns[order.reference] ?? []
                var counters = ledger.counters
                guard let back = try? Program.takeBack(ret, of: order, parts: parts, earlier: earlier, earlierTaken: taken[order.reference] ?? [:],
                                                       earned: earned, reversedSoFar: ledger.reversedSoFar(order.reference), counters: &counters)
                else { continue }
                let effects = back.effects
                ledger.counters = counters
                taken[order.reference, default: [:]].merge(back.byRule, uniquingKeysWith: +)
                returns[order.reference, default: []].append(ret)
                if (try? ledger.apply(effects, event: ret.reference, at: ret.at, policy: .clawBack)) != nil {
                    current.reversed += effects.takenBack
                    program.countQualifying(return: ret, of: order, earlier: earlier, pointsTakenBack: effects.takenBack, counters: &ledger.counters)
                }
                if order.currency == program.currency {
                    current.revenue -= (try? ret.share(of: order, after: earlier).amount) ?? 0
                }
            case let .action(action, member):
                var ledger = ledgers.removeValue(forKey: member) ?? MemberLedger()
                defer { ledger.forgetEntries(); ledgers[member] = ledger }
                let key = "a:\(action.name):" + member
                let effects = program.effects(of: action, history: MemberHistory(earlier: tallies[key] ?? []))
                tallies[key, default: []].append(action.at)
                if (try? ledger.apply(effects, event: action.reference, at: action.at, policy: .clawBack)) != nil {
                    current.issued += effects.credited
                    program.countQualifying(points: effects.credited, at: action.at, counters: &ledger.counters)
                }
            }
        }
        while monthEnd <= calendar.dateInterval(of: .month, for: last.at)!.end { closeMonth() }
        return months
    }

    static func label(_ date: Date, _ calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month], from: date)
        return String(format: "%04d-%02d", parts.year!, parts.month!)
    }
}
