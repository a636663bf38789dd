/// How good a lifetime-value forecast is: fit on a calibration period, predict the holdout
/// period that follows, and compare with what customers really bought there.
public struct HoldoutEvaluation: Equatable, Sendable {
    /// Calibration histories (only customers whose first purchase falls in the calibration period)
    /// and each one's purchases in the holdout period.
    public struct Split: Sendable {
        public var calibration: [PurchaseHistory]
        public var holdoutPurchases: [Int]
    }

    /// Splits purchase times (any unit, any common origin; each customer's list in any order)
    /// at `calibrationEnd`; the holdout runs to `holdoutEnd`.
    public static func split(purchaseTimes: [[Double]], calibrationEnd: Double, holdoutEnd: Double) -> Split {
        var calibration: [PurchaseHistory] = [], holdout: [Int] = []
        for times in purchaseTimes {
            guard let (history, sorted) = calibrated(times, calibrationEnd: calibrationEnd) else { continue }
            calibration.append(history)
            holdout.append(sorted.filter { $0 > calibrationEnd && $0 <= holdoutEnd }.count)
        }
        return Split(calibration: calibration, holdoutPurchases: holdout)
    }

    /// One customer's history as of `calibrationEnd`, and their purchase times sorted; nil for a
    /// customer whose first purchase came after it.
    static func calibrated(_ times: [Double], calibrationEnd: Double) -> (PurchaseHistory, [Double])? {
        let sorted = times.sorted()
        guard let first = sorted.first, first <= calibrationEnd else { return nil }
        let repeats = sorted.dropFirst().filter { $0 <= calibrationEnd }
        return (PurchaseHistory(frequency: repeats.count, recency: (repeats.last ?? first) - first, age: calibrationEnd - first), sorted)
    }

    /// Holdout purchases, actual and predicted, of the customers with one calibration frequency.
    public struct Group: Equatable, Sendable {
        public var calibrationFrequency: Int
        public var customers: Int
        public var actualMean: Double
        public var predictedMean: Double
    }

    public var actualTotal: Int
    public var predictedTotal: Double
    /// Mean absolute error per customer.
    public var meanAbsoluteError: Double
    /// By calibration frequency 0, 1, … up to `pooledFrom`, where the rest are pooled (the papers' figure).
    public var groups: [Group]

    /// Compares `predict(history)` (expected holdout purchases) with the actual ones.
    public init(_ split: Split, pooledFrom: Int = 7, predict: (PurchaseHistory) -> Double) {
        let predictions = split.calibration.map(predict)
        actualTotal = split.holdoutPurchases.reduce(0, +)
        predictedTotal = predictions.reduce(0, +)
        let n = Double(max(split.calibration.count, 1))
        meanAbsoluteError = zip(predictions, split.holdoutPurchases).reduce(0) { $0 + abs($1.0 - Double($1.1)) } / n
        var sums: [Int: (count: Int, actual: Double, predicted: Double)] = [:]
        for (i, history) in split.calibration.enumerated() {
            let key = min(history.frequency, pooledFrom)
            var sum = sums[key] ?? (0, 0, 0)
            sum.count += 1
            sum.actual += Double(split.holdoutPurchases[i])
            sum.predicted += predictions[i]
            sums[key] = sum
        }
        groups = sums.keys.sorted().map { key in
            let sum = sums[key]!
            return Group(calibrationFrequency: key, customers: sum.count,
                         actualMean: sum.actual / Double(sum.count), predictedMean: sum.predicted / Double(sum.count))
        }
    }
}

extension BGNBD {
    /// Purchase times drawn from the model for customers whose first purchase is at each of
    /// `firstPurchases`, up to `end`.
    public func simulatePurchaseTimes<G: RandomNumberGenerator>(firstPurchases: [Double], until end: Double,
                                                                using generator: inout G) -> [[Double]] {
        firstPurchases.map { first in
            let lambda = Random.gamma(shape: r, using: &generator) / alpha
            let p = Random.beta(a, b, using: &generator)
            var times = [first], time = first
            while true {
                time += Random.exponential(rate: lambda, using: &generator)
                guard time <= end else { break }
                times.append(time)
                if Double.random(in: 0..<1, using: &generator) < p { break }
            }
            return times
        }
    }
}

/// Purchase figures over a set of customers: repeat purchase rate, purchase frequency and
/// average order value.
public struct PurchaseFigures: Equatable, Sendable {
    public var customers: Int
    public var orders: Int
    /// Revenue in minor units.
    public var revenue: Int
    public var repeatCustomers: Int

    /// From each customer's order amounts (minor units).
    public init(orderAmounts: [[Int]]) {
        let buyers = orderAmounts.filter { !$0.isEmpty }
        customers = buyers.count
        orders = buyers.reduce(0) { $0 + $1.count }
        revenue = buyers.reduce(0) { $0 + $1.reduce(0, +) }
        repeatCustomers = buyers.filter { $0.count > 1 }.count
    }

    /// Customers with more than one order, in percent.
    public var repeatPurchaseRate: Double? { customers > 0 ? Double(repeatCustomers) / Double(customers) * 100 : nil }
    /// Orders per customer.
    public var purchaseFrequency: Double? { customers > 0 ? Double(orders) / Double(customers) : nil }
    /// Revenue per order, in minor units.
    public var averageOrderValue: Double? { orders > 0 ? Double(revenue) / Double(orders) : nil }
}

extension HoldoutEvaluation {
    /// One week of the tracking chart: repeat purchases from the calibration end to the end of
    /// this holdout week, actual and predicted, all customers together.
    public struct TrackingWeek: Equatable, Sendable {
        public var week: Int
        public var actualCumulative: Int
        public var predictedCumulative: Double
    }

    /// The papers' tracking chart over the holdout: for each of `weeks` weeks after
    /// `calibrationEnd` (times in weeks), the cumulative purchases customers made (those whose
    /// first purchase falls in the calibration period) next to the sum of `expected(history, t)`,
    /// what the calibration fit expects a customer with that history to buy in the next `t`
    /// weeks. Customers with the same calibration history are predicted once.
    public static func tracking(purchaseTimes: [[Double]], calibrationEnd: Double, weeks: Int,
                                expected: (PurchaseHistory, Double) -> Double) -> [TrackingWeek] {
        guard weeks > 0 else { return [] }
        var alike: [PurchaseHistory: Int] = [:]
        var actual = [Int](repeating: 0, count: weeks + 1)
        for times in purchaseTimes {
            guard let (history, sorted) = calibrated(times, calibrationEnd: calibrationEnd) else { continue }
            alike[history, default: 0] += 1
            for time in sorted where time > calibrationEnd && time <= calibrationEnd + Double(weeks) {
                actual[Int((time - calibrationEnd).rounded(.up))] += 1
            }
        }
        var cumulative = 0
        return (1...weeks).map { week in
            cumulative += actual[week]
            let predicted = alike.reduce(0.0) { $0 + Double($1.value) * expected($1.key, Double(week)) }
            return TrackingWeek(week: week, actualCumulative: cumulative, predictedCumulative: predicted)
        }
    }
}
