import Testing
import TreuAnalytics

@Suite("RFM, cohorts and program figures, by hand")
struct SegmentsTests {
    @Test func tenCustomersFallIntoFifthsOfTwo() {
        // Ten customers, each better than the last on every measure: ranks 0–1 score 1, 2–3 score 2, … 8–9 score 5.
        let customers = (0..<10).map { i in
            RFM.Customer(key: "c\(i)", daysSinceLastOrder: 100 - i * 10, orders: i + 1, spend: (i + 1) * 1_000)
        }
        let scores = RFM.score(customers)
        #expect(scores.map(\.recency) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
        #expect(scores.map(\.frequency) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
        #expect(scores.map(\.monetary) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
        #expect(scores.last?.segment == .champions)
        #expect(scores.first?.segment == .lost)
    }

    @Test func tiesAreBrokenByTheCustomersKey() {
        // Five customers with equal figures: ordered by key, they take one score each.
        let customers = ["e", "c", "a", "d", "b"].map { RFM.Customer(key: $0, daysSinceLastOrder: 30, orders: 2, spend: 5_000) }
        let scores = RFM.score(customers)
        #expect(scores.map(\.frequency) == [5, 3, 1, 4, 2])
        #expect(RFM.score(customers) == scores)
    }

    @Test(arguments: [
        (5, 5, RFM.Segment.champions), (1, 5, .cantLoseThem), (2, 4, .atRisk), (1, 3, .atRisk), (3, 4, .loyal),
        (5, 3, .loyal), (3, 3, .needAttention), (4, 2, .potentialLoyalist), (5, 1, .new), (4, 1, .promising),
        (3, 1, .aboutToSleep), (2, 2, .hibernating), (1, 1, .lost),
    ])
    func segmentsFollowTheGrid(r: Int, fm: Int, segment: RFM.Segment) {
        #expect(RFM.Segment(recency: r, frequencyMonetary: fm) == segment)
    }

    @Test func aCohortMatrix() {
        // January (month 0): a and b start; a buys again in February and March, b in March.
        // February (month 1): c starts and never returns.
        let orders = [
            CohortMatrix.Order(customer: "a", month: 0, amount: 1_000), CohortMatrix.Order(customer: "b", month: 0, amount: 2_000),
            CohortMatrix.Order(customer: "a", month: 1, amount: 500), CohortMatrix.Order(customer: "c", month: 1, amount: 700),
            CohortMatrix.Order(customer: "a", month: 2, amount: 300), CohortMatrix.Order(customer: "a", month: 2, amount: 200),
            CohortMatrix.Order(customer: "b", month: 2, amount: 900),
        ]
        let matrix = CohortMatrix(orders: orders, lastMonth: 2)
        #expect(matrix.cohorts.map(\.month) == [0, 1])
        let january = matrix.cohorts[0]
        #expect(january.customers == 2)
        #expect(january.active == [2, 1, 2])
        #expect(january.revenue == [3_000, 500, 1_400])
        #expect(january.retention(1) == 0.5)
        #expect(matrix.cohorts[1].active == [1, 0])
        #expect(matrix.cohorts[1].revenue == [700, 0])
    }

    @Test func breakageAndLiability() {
        // 10,000 points issued, 6,000 redeemed, 2,000 expired: 2,000 open; breakage 2,000 / 8,000 = 25 %;
        // at 1 cent a point the open points are worth 2,000 × 1 × 0.75 = 1,500 cents.
        let figures = ProgramFigures(issued: 10_000, redeemed: 6_000, expired: 2_000, pointValue: 1)
        #expect(figures.outstanding == 2_000)
        #expect(figures.redemptionRate == 0.6)
        #expect(figures.breakage == 0.25)
        #expect(figures.liability == 1_500)
        #expect(ProgramFigures(issued: 500, redeemed: 0, expired: 0, pointValue: 0.5).liability == 250)
    }
}
