import Foundation
import TreuAnalytics
import TreuCore

/// Each customer's purchase history as of the end of a day, in weeks, as the lifetime-value
/// models read it: purchases on one day count as one (their amounts added), frequency is the
/// number of days with a purchase after the first, recency the weeks from the first to the
/// last, age the weeks from the first to the end.
struct CustomerHistories {
    var members: [Int] = []
    var histories: [PurchaseHistory] = []
    /// Mean amount of the repeat days (0 without any), minor units.
    var repeatMeans: [Double] = []
    /// Everything bought up to the end, minor units.
    var spend: [Int] = []

    init(_ log: PurchaseLog, days: [Int], through end: Int) {
        var byMember: [Int: [(day: Int, amount: Int)]] = [:]
        for (index, purchase) in log.purchases.enumerated() where days[index] <= end {
            var list = byMember[purchase.member, default: []]
            if list.last?.day == days[index] { list[list.count - 1].amount += purchase.amount } else { list.append((days[index], purchase.amount)) }
            byMember[purchase.member] = list
        }
        for (member, list) in byMember.sorted(by: { $0.key < $1.key }) {
            members.append(member)
            let first = list[0].day
            histories.append(PurchaseHistory(frequency: list.count - 1, recency: Double(list[list.count - 1].day - first) / 7,
                                             age: Double(end - first) / 7))
            repeatMeans.append(list.count > 1 ? Double(list.dropFirst().reduce(0) { $0 + $1.amount }) / Double(list.count - 1) : 0)
            spend.append(list.reduce(0) { $0 + $1.amount })
        }
    }

    /// Purchase days in weeks, per customer, for a calibration/holdout split.
    static func purchaseWeeks(_ log: PurchaseLog, days: [Int], through end: Int) -> [[Double]] {
        var byMember: [Int: [Double]] = [:]
        for (index, purchase) in log.purchases.enumerated() where days[index] <= end {
            let week = Double(days[index]) / 7
            if byMember[purchase.member]?.last != week { byMember[purchase.member, default: []].append(week) }
        }
        return byMember.sorted { $0.key < $1.key }.map(\.value)
    }
}

/// The fitted models of a shop: purchases (BG/NBD, or Pareto/NBD on request) and spend
/// (Gamma-Gamma). A fit needs at least `minimumCustomers` customers of whom `minimumRepeaters`
/// bought again (fewer do not determine four parameters), and gives a model only if its
/// parameters are finite positive numbers and it predicts finite figures. (Very large a and b in
/// BG/NBD are a real answer: everyone drops out with the same probability a / (a + b).)
struct LifetimeModels: Sendable {
    static let minimumCustomers = 20
    static let minimumRepeaters = 5

    enum Kind: String, Sendable, CaseIterable { case bgnbd, paretoNBD = "pareto_nbd" }
    var kind: Kind
    var purchases: any PurchaseModel
    var purchaseParameters: [String: Double]
    var purchaseLogLikelihood: Double
    var spend: GammaGamma?
    var spendLogLikelihood: Double?

    /// nil when the data are too few or the fit does not settle on finite parameters.
    init?(_ data: CustomerHistories, kind: Kind) {
        func sane(_ values: [Double]) -> Bool { values.allSatisfy { $0.isFinite && $0 > 0 } }
        guard data.histories.count >= Self.minimumCustomers,
              data.histories.count(where: { $0.frequency > 0 }) >= Self.minimumRepeaters else { return nil }
        self.kind = kind
        switch kind {
        case .bgnbd:
            let fit = BGNBD.fit(PackedHistories(data.histories))
            purchases = fit.model
            purchaseParameters = ["r": fit.model.r, "alpha": fit.model.alpha, "a": fit.model.a, "b": fit.model.b]
            purchaseLogLikelihood = fit.logLikelihood
            guard sane([fit.model.r, fit.model.alpha, fit.model.a, fit.model.b]) else { return nil }
        case .paretoNBD:
            let fit = ParetoNBD.fit(data.histories)
            purchases = fit.model
            purchaseParameters = ["r": fit.model.r, "alpha": fit.model.alpha, "s": fit.model.s, "beta": fit.model.beta]
            purchaseLogLikelihood = fit.logLikelihood
            guard sane([fit.model.r, fit.model.alpha, fit.model.s, fit.model.beta]) else { return nil }
        }
        let probe = data.histories.max { $0.frequency < $1.frequency }!
        guard purchases.probabilityAlive(probe).isFinite, purchases.expectedPurchases(in: 52, after: probe).isFinite else { return nil }
        let repeaters = zip(data.histories, data.repeatMeans).filter { $0.0.frequency > 0 && $0.1 > 0 }
            .map { (transactions: $0.0.frequency, meanValue: $0.1) }
        if repeaters.count >= Self.minimumRepeaters {
            let fit = GammaGamma.fitLarge(repeaters)
            // The model's mean exists only for q > 1; without it there is no value to predict.
            if fit.model.q > 1, sane([fit.model.p, fit.model.q, fit.model.gamma]), fit.model.populationMean.isFinite {
                spend = fit.model
                spendLogLikelihood = fit.logLikelihood
            }
        }
    }

    /// Expected purchases, P(alive) and value over `months` for one customer.
    func predict(_ history: PurchaseHistory, repeatMean: Double, months: Int, discountRate: Double)
        -> (pAlive: Double, purchases: Double, value: Double?) {
        let weeksPerMonth = 52.0 / 12
        let purchases = self.purchases.expectedPurchases(in: Double(months) * weeksPerMonth, after: history)
        let value = spend.map {
            LifetimeValue(purchases: self.purchases, spend: $0, discountRate: discountRate)
                .predicted(for: history, meanValue: repeatMean, periods: months, periodLength: weeksPerMonth)
        }
        return (self.purchases.probabilityAlive(history), purchases, value)
    }
}

/// Lifetime value as of a day: the models fitted on every customer's history up to it, each
/// customer's P(alive), expected purchases and predicted value over `horizon_months` (discounted
/// at `discount_rate` a month), the historic value (spend so far) — and, with `holdout_weeks`, how
/// well a fit on the history before the last weeks predicted what customers bought in them.
public struct LifetimeReport: Encodable, Sendable {
    struct Model: Encodable, Sendable {
        var model: String
        var parameters: [String: Double]
        var logLikelihood: Double
        enum CodingKeys: String, CodingKey { case model, parameters, logLikelihood = "log_likelihood" }
    }
    struct Predicted: Encodable, Sendable {
        var expectedPurchases: Double
        var meanPAlive: Double
        @OrNull var value: Double?
        @OrNull var meanValue: Double?
        var pAliveDistribution: [Bucket]
        enum CodingKeys: String, CodingKey {
            case value, expectedPurchases = "expected_purchases", meanPAlive = "mean_p_alive", meanValue = "mean_value"
            case pAliveDistribution = "p_alive_distribution"
        }
    }
    struct Bucket: Encodable, Sendable {
        var from: Double
        var to: Double
        var customers: Int
    }
    struct Historic: Encodable, Sendable {
        var revenue: Int
        var meanValue: Double
        enum CodingKeys: String, CodingKey { case revenue, meanValue = "mean_value" }
    }
    struct Top: Encodable, Sendable {
        var memberID: String
        var pAlive: Double
        var expectedPurchases: Double
        @OrNull var predictedValue: Double?
        var historicValue: Int
        enum CodingKeys: String, CodingKey {
            case memberID = "member_id", pAlive = "p_alive", expectedPurchases = "expected_purchases"
            case predictedValue = "predicted_value", historicValue = "historic_value"
        }
    }
    struct Holdout: Encodable, Sendable {
        struct Group: Encodable, Sendable {
            var calibrationPurchases: String
            var customers: Int
            var actualMean: Double
            var predictedMean: Double
            enum CodingKeys: String, CodingKey {
                case customers, calibrationPurchases = "calibration_repeat_purchases", actualMean = "actual_mean", predictedMean = "predicted_mean"
            }
        }
        /// Cumulative repeat purchases after the calibration end, week by week.
        struct Track: Encodable, Sendable {
            var week: Int
            var end: CalendarDate
            var actual: Int
            var predicted: Double
            enum CodingKeys: String, CodingKey { case week, end, actual = "actual_cumulative", predicted = "predicted_cumulative" }
        }
        var calibrationEnd: CalendarDate
        var weeks: Int
        var customers: Int
        /// The purchase model fitted on the calibration period alone.
        var calibration: Model
        var actualPurchases: Int
        var predictedPurchases: Double
        var meanAbsoluteError: Double
        var groups: [Group]
        var tracking: [Track]
        enum CodingKeys: String, CodingKey {
            case weeks, customers, groups, calibration, tracking, calibrationEnd = "calibration_end", actualPurchases = "actual_purchases"
            case predictedPurchases = "predicted_purchases", meanAbsoluteError = "mean_absolute_error"
        }
    }

    /// One customer as of the report's day (`member_id`): their history as the models read
    /// it and what the models predict for them; figures null before a first purchase, or
    /// without a fit.
    struct MemberFigures: Encodable, Sendable {
        var memberID: String
        var purchaseDays: Int
        var frequency: Int?
        var recencyWeeks: Double?
        var ageWeeks: Double?
        @OrNull var pAlive: Double?
        @OrNull var expectedPurchases: Double?
        @OrNull var predictedValue: Double?
        var historicValue: Int
        enum CodingKeys: String, CodingKey {
            case frequency, memberID = "member_id", purchaseDays = "purchase_days", recencyWeeks = "recency_weeks", ageWeeks = "age_weeks"
            case pAlive = "p_alive", expectedPurchases = "expected_purchases", predictedValue = "predicted_value", historicValue = "historic_value"
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(memberID, forKey: .memberID)
            try c.encode(purchaseDays, forKey: .purchaseDays)
            try c.encode(frequency, forKey: .frequency)
            try c.encode(recencyWeeks, forKey: .recencyWeeks)
            try c.encode(ageWeeks, forKey: .ageWeeks)
            try c.encode(pAlive, forKey: .pAlive)
            try c.encode(expectedPurchases, forKey: .expectedPurchases)
            try c.encode(predictedValue, forKey: .predictedValue)
            try c.encode(historicValue, forKey: .historicValue)
        }
    }

    var at: CalendarDate
    var currency: String
    var timeUnit = "week"
    /// What the models count as one purchase: a customer's orders of one day (program's zone)
    /// are one purchase, their amounts added.
    var purchaseUnit = "customer_day"
    var member: MemberFigures?
    var customers: Int
    var repeatCustomers: Int
    var horizonMonths: Int
    var discountRate: Double
    var purchases: Model?
    var spend: Model?
    var historic: Historic
    var predicted: Predicted?
    var top: [Top]
    var holdout: Holdout?

    enum CodingKeys: String, CodingKey {
        case at, currency, customers, purchases, spend, historic, predicted, top, holdout, member
        case timeUnit = "time_unit", purchaseUnit = "purchase_unit", repeatCustomers = "repeat_customers", horizonMonths = "horizon_months", discountRate = "discount_rate"
    }

    init(_ log: PurchaseLog, _ query: ReportQuery, program: Program) {
        at = query.to
        currency = program.currency
        horizonMonths = query.horizonMonths
        discountRate = query.discountRate
        let days = log.days(in: program.timeZone)
        let end = query.to.daysSince1970
        let data = CustomerHistories(log, days: days, through: end)
        customers = data.histories.count
        repeatCustomers = data.histories.filter { $0.frequency > 0 }.count
        let revenue = data.spend.reduce(0, +)
        historic = Historic(revenue: revenue, meanValue: customers > 0 ? Double(revenue) / Double(customers) : 0)
        let kind = query.model
        let models = LifetimeModels(data, kind: kind)
        if let id = query.member {
            let position = log.members.firstIndex(of: id).flatMap { data.members.firstIndex(of: $0) }
            let history = position.map { data.histories[$0] }
            let prediction = position.flatMap { i in
                models?.predict(data.histories[i], repeatMean: data.repeatMeans[i], months: query.horizonMonths, discountRate: query.discountRate)
            }
            member = MemberFigures(memberID: id.uuidString.lowercased(), purchaseDays: history.map { $0.frequency + 1 } ?? 0,
                                   frequency: history?.frequency, recencyWeeks: history?.recency, ageWeeks: history?.age,
                                   pAlive: prediction?.pAlive, expectedPurchases: prediction?.purchases, predictedValue: prediction?.value,
                                   historicValue: position.map { data.spend[$0] } ?? 0)
        }
        guard let models else {
            top = []
            return
        }
        purchases = Model(model: kind.rawValue, parameters: models.purchaseParameters, logLikelihood: models.purchaseLogLikelihood)
        spend = models.spend.map { Model(model: "gamma_gamma", parameters: ["p": $0.p, "q": $0.q, "gamma": $0.gamma],
                                         logLikelihood: models.spendLogLikelihood ?? 0) }
        let predictions = data.histories.indices.map { i in
            models.predict(data.histories[i], repeatMean: data.repeatMeans[i], months: query.horizonMonths, discountRate: query.discountRate)
        }
        var buckets = (0..<5).map { Bucket(from: Double($0) / 5, to: Double($0 + 1) / 5, customers: 0) }
        for p in predictions { buckets[min(Int(p.pAlive * 5), 4)].customers += 1 }
        let value: Double? = models.spend == nil ? nil : predictions.reduce(0) { $0 + ($1.value ?? 0) }
        let count = Double(data.histories.count)
        predicted = Predicted(expectedPurchases: predictions.reduce(0) { $0 + $1.purchases },
                              meanPAlive: predictions.reduce(0) { $0 + $1.pAlive } / count,
                              value: value, meanValue: value.map { $0 / count }, pAliveDistribution: buckets)
        top = predictions.indices.sorted { a, b in
            let (x, y) = (predictions[a].value ?? predictions[a].purchases, predictions[b].value ?? predictions[b].purchases)
            return x != y ? x > y : log.members[data.members[a]].uuidString < log.members[data.members[b]].uuidString
        }.prefix(query.limit).map { i in
            Top(memberID: log.members[data.members[i]].uuidString.lowercased(), pAlive: predictions[i].pAlive,
                expectedPurchases: predictions[i].purchases, predictedValue: predictions[i].value, historicValue: data.spend[i])
        }
        if query.holdoutWeeks > 0 {
            let calibrationEnd = end - 7 * query.holdoutWeeks
            let times = CustomerHistories.purchaseWeeks(log, days: days, through: end)
            let split = HoldoutEvaluation.split(purchaseTimes: times, calibrationEnd: Double(calibrationEnd) / 7, holdoutEnd: Double(end) / 7)
            let calibration = CustomerHistories(log, days: days, through: calibrationEnd)
            if let fitted = LifetimeModels(calibration, kind: kind) {
                let weeks = Double(query.holdoutWeeks)
                let evaluation = HoldoutEvaluation(split) { fitted.purchases.expectedPurchases(in: weeks, after: $0) }
                let tracking = HoldoutEvaluation.tracking(purchaseTimes: times, calibrationEnd: Double(calibrationEnd) / 7, weeks: query.holdoutWeeks) {
                    fitted.purchases.expectedPurchases(in: $1, after: $0)
                }.map { Holdout.Track(week: $0.week, end: CalendarDate(daysSince1970: calibrationEnd + 7 * $0.week), actual: $0.actualCumulative,
                                      predicted: $0.predictedCumulative) }
                holdout = Holdout(calibrationEnd: CalendarDate(daysSince1970: calibrationEnd), weeks: query.holdoutWeeks,
                                  customers: split.calibration.count,
                                  calibration: Model(model: kind.rawValue, parameters: fitted.purchaseParameters, logLikelihood: fitted.purchaseLogLikelihood),
                                  actualPurchases: evaluation.actualTotal,
                                  predictedPurchases: evaluation.predictedTotal, meanAbsoluteError: evaluation.meanAbsoluteError,
                                  groups: evaluation.groups.map { group in
                                      Holdout.Group(calibrationPurchases: group.calibrationFrequency == 7 ? "7+" : "\(group.calibrationFrequency)",
                                                    customers: group.customers, actualMean: group.actualMean, predictedMean: group.predictedMean)
                                  }, tracking: tracking)
            }
        }
    }

    public var tables: [ReportTable] {
        var tables: [ReportTable] = []
        var summary: [[String]] = [["customers", "\(customers)"], ["repeat customers", "\(repeatCustomers)"],
                                   ["historic revenue", Cell.money(historic.revenue, currency)], ["historic value per customer", Cell.money(historic.meanValue, currency)]]
        if let purchases {
            summary.append([purchases.model, purchases.parameters.sorted { $0.key < $1.key }.map { "\($0.key) \(Cell.number($0.value, 6))" }.joined(separator: ", ")])
        }
        if let spend {
            summary.append(["gamma_gamma (fitted to spend in minor units of \(currency))", spend.parameters.sorted { $0.key < $1.key }.map { "\($0.key) \(Cell.number($0.value, 6))" }.joined(separator: ", ")])
        }
        if let predicted {
            summary += [["expected purchases, \(horizonMonths) months", Cell.number(predicted.expectedPurchases, 1)],
                        ["mean P(alive)", Cell.number(predicted.meanPAlive, 3)],
                        ["predicted value, \(horizonMonths) months", Cell.money(predicted.value, currency)],
                        ["predicted value per customer", Cell.money(predicted.meanValue, currency)]]
        } else {
            summary.append(["models", "not fitted: it takes \(LifetimeModels.minimumCustomers) customers, \(LifetimeModels.minimumRepeaters) of whom bought again, and a fit that settles"])
        }
        tables.append(ReportTable(title: "lifetime value on \(at) (money in \(currency); time unit: week; a purchase is a customer's orders of one day)",
                                  columns: ["figure", "value"], rows: summary))
        if let member {
            func figure(_ value: Double?, _ digits: Int) -> String { value.map { Cell.number($0, digits) } ?? "–" }
            tables.append(ReportTable(title: "member \(member.memberID) on \(at), the next \(horizonMonths) months", columns: ["figure", "value"], rows: [
                ["days with a purchase", "\(member.purchaseDays)"], ["repeat purchases (frequency)", member.frequency.map(String.init) ?? "–"],
                ["recency, weeks", figure(member.recencyWeeks, 1)], ["age, weeks", figure(member.ageWeeks, 1)],
                ["P(alive)", figure(member.pAlive, 3)], ["expected purchases", figure(member.expectedPurchases, 2)],
                ["predicted value", member.predictedValue.map { Cell.money($0, currency) } ?? "–"], ["historic value", Cell.money(member.historicValue, currency)]]))
        }
        if let predicted {
            tables.append(ReportTable(title: "P(alive)", columns: ["from", "to", "customers"],
                                      rows: predicted.pAliveDistribution.map { [Cell.number($0.from, 1), Cell.number($0.to, 1), "\($0.customers)"] }))
        }
        if !top.isEmpty {
            tables.append(ReportTable(title: "highest predicted value", columns: ["member", "P(alive)", "expected purchases", "predicted value", "historic value"],
                                      rows: top.map { [$0.memberID, Cell.number($0.pAlive, 3), Cell.number($0.expectedPurchases), Cell.money($0.predictedValue, currency), Cell.money($0.historicValue, currency)] }))
        }
        if let holdout {
            tables.append(ReportTable(
                title: "holdout: fitted to \(holdout.calibrationEnd), the next \(holdout.weeks) weeks: \(holdout.actualPurchases) purchases, \(Cell.number(holdout.predictedPurchases, 1)) predicted, mean absolute error \(Cell.number(holdout.meanAbsoluteError, 3))",
                columns: ["repeat purchases before", "customers", "actual mean", "predicted mean"],
                rows: holdout.groups.map { [$0.calibrationPurchases, "\($0.customers)", Cell.number($0.actualMean, 3), Cell.number($0.predictedMean, 3)] }))
            let parameters = holdout.calibration.parameters.sorted { $0.key < $1.key }.map { "\($0.key) \(Cell.number($0.value, 6))" }.joined(separator: ", ")
            tables.append(ReportTable(
                title: "holdout tracking: cumulative repeat purchases after \(holdout.calibrationEnd); calibration fit \(holdout.calibration.model) \(parameters), log-likelihood \(Cell.number(holdout.calibration.logLikelihood, 2))",
                columns: ["week", "to", "actual", "predicted"],
                rows: holdout.tracking.map { ["\($0.week)", "\($0.end)", "\($0.actual)", Cell.number($0.predicted, 1)] }))
        }
        return tables
    }
}
