/// RFM scoring: recency, frequency and monetary value each scored 1 to 5 by quintile (5 best),
/// and a named segment from the scores.
///
/// Scores: customers are ranked from worst to best on each measure (recency: most days since the
/// last order is worst; frequency and monetary: least is worst); ties are broken by the
/// customer's key, ascending, so the same data always gives the same scores. The customer at rank
/// i of n (from 0) scores 1 + ⌊5i/n⌋: each score holds a fifth of the customers.
public enum RFM {
    public struct Customer: Sendable {
        public var key: String
        public var daysSinceLastOrder: Int
        public var orders: Int
        /// Spend in minor units of the shop's currency.
        public var spend: Int

        public init(key: String, daysSinceLastOrder: Int, orders: Int, spend: Int) {
            self.key = key
            self.daysSinceLastOrder = daysSinceLastOrder
            self.orders = orders
            self.spend = spend
        }
    }

    public struct Score: Equatable, Sendable {
        public var recency: Int
        public var frequency: Int
        public var monetary: Int
        public var segment: Segment { Segment(recency: recency, frequencyMonetary: Int((Double(frequency + monetary) / 2).rounded(.up))) }
    }

    /// The scores of every customer, in the order given.
    public static func score(_ customers: [Customer]) -> [Score] {
        let n = customers.count
        func quintiles(_ worseFirst: (Customer, Customer) -> Bool) -> [Int] {
            var scores = [Int](repeating: 0, count: n)
            let order = customers.indices.sorted { i, j in
                let a = customers[i], b = customers[j]
                if worseFirst(a, b) { return true }
                if worseFirst(b, a) { return false }
                return a.key < b.key
            }
            for (rank, index) in order.enumerated() { scores[index] = 1 + 5 * rank / n }
            return scores
        }
        let r = quintiles { $0.daysSinceLastOrder > $1.daysSinceLastOrder }
        let f = quintiles { $0.orders < $1.orders }
        let m = quintiles { $0.spend < $1.spend }
        return customers.indices.map { Score(recency: r[$0], frequency: f[$0], monetary: m[$0]) }
    }

    /// Named segments on a grid of the recency score (R) and the mean of frequency and
    /// monetary scores rounded up (FM):
    ///
    /// | FM \ R | 1 | 2 | 3 | 4 | 5 |
    /// | --- | --- | --- | --- | --- | --- |
    /// | 4–5 | Can't Lose Them | At Risk | Loyal | Champions | Champions |
    /// | 3 | At Risk | At Risk | Need Attention | Loyal | Loyal |
    /// | 2 | Lost | Hibernating | About to Sleep | Potential Loyalist | Potential Loyalist |
    /// | 1 | Lost | Hibernating | About to Sleep | Promising | New |
    public enum Segment: String, CaseIterable, Sendable {
        case champions = "Champions", loyal = "Loyal", potentialLoyalist = "Potential Loyalist", new = "New"
        case promising = "Promising", needAttention = "Need Attention", aboutToSleep = "About to Sleep"
        case atRisk = "At Risk", cantLoseThem = "Can't Lose Them", hibernating = "Hibernating", lost = "Lost"

        public init(recency r: Int, frequencyMonetary fm: Int) {
            switch (r, fm) {
            case (4...5, 4...5): self = .champions
            case (3, 4...5), (4...5, 3): self = .loyal
            case (3, 3): self = .needAttention
            case (1, 4...5): self = .cantLoseThem
            case (1...2, 3...5): self = .atRisk
            case (4...5, 2): self = .potentialLoyalist
            case (5, _): self = .new
            case (4, _): self = .promising
            case (3, _): self = .aboutToSleep
            case (2, _): self = .hibernating
            default: self = .lost
            }
        }
    }
}
