import Foundation
import Testing
import TreuAnalytics

@Suite("BG/NBD reproduces Fader, Hardie & Lee (2005) and recovers known parameters")
struct BGNBDTests {
    static func cdnow() throws -> [PurchaseHistory] { try CDNOW.customers().map(\.history) }

    @Test func thePapersParametersAndLikelihood() throws {
        let data = try Self.cdnow()
        #expect(data.count == 2_357)
        let (model, logLikelihood) = BGNBD.fit(data)
        // Paper, section 5: r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4. (This fit, 2026-11-25:
        // r 0.24259, α 4.41357, a 0.79289, b 2.42577, LL −9582.4256, as the lifetimes package finds.)
        #expect(abs(model.r - 0.243) < 0.001)
        #expect(abs(model.alpha - 4.414) < 0.001)
        #expect(abs(model.a - 0.793) < 0.001)
        #expect(abs(model.b - 2.426) < 0.001)
        #expect(abs(logLikelihood - (-9582.4)) < 0.1)
    }

    @Test func thePapersConditionalExpectation() {
        // Paper, section 5: a customer with x = 2, t_x = 30.43, T = 38.86 is expected to make
        // 1.226 purchases in the next 39 weeks.
        let model = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
        let history = PurchaseHistory(frequency: 2, recency: 30.43, age: 38.86)
        #expect(abs(model.expectedPurchases(in: 39, after: history) - 1.226) < 0.001)
        // Someone who bought once long ago is less likely alive than someone who bought lately.
        let lapsed = PurchaseHistory(frequency: 1, recency: 2, age: 38.86)
        let recent = PurchaseHistory(frequency: 1, recency: 38, age: 38.86)
        #expect(model.probabilityAlive(lapsed) < model.probabilityAlive(recent))
        #expect(model.probabilityAlive(PurchaseHistory(frequency: 0, recency: 0, age: 38.86)) == 1)
    }

    @Test func theHypergeometricFunctionMatchesClosedForms() {
        // ₂F₁(1, 1; 2; z) = −ln(1 − z) / z.
        #expect(abs(SpecialFunctions.hypergeometric2F1(1, 1, 2, 0.5) - (-log(0.5) / 0.5)) < 1e-12)
        // ₂F₁(a, b; b; z) = (1 − z)^(−a).
        #expect(abs(SpecialFunctions.hypergeometric2F1(0.7, 3, 3, 0.3) - pow(0.7, -0.7)) < 1e-12)
    }

    @Test func nelderMeadFindsTheRosenbrockMinimum() {
        let result = NelderMead.minimize({ p in pow(1 - p[0], 2) + 100 * pow(p[1] - p[0] * p[0], 2) }, from: [-1.2, 1], tolerance: 1e-14)
        #expect(abs(result.point[0] - 1) < 1e-4 && abs(result.point[1] - 1) < 1e-4)
    }

    @Test func knownParametersAreRecoveredFromSimulatedData() {
        let truth = BGNBD(r: 0.5, alpha: 6, a: 0.8, b: 2.5)
        var generator = SplitMix64(seed: 20261125)
        let data = truth.simulate(customers: 30_000, age: 52, using: &generator)
        let (fitted, _) = BGNBD.fit(data)
        #expect(abs(fitted.r / truth.r - 1) < 0.1, "r \(fitted.r)")
        #expect(abs(fitted.alpha / truth.alpha - 1) < 0.1, "α \(fitted.alpha)")
        #expect(abs(fitted.a / truth.a - 1) < 0.15, "a \(fitted.a)")
        #expect(abs(fitted.b / truth.b - 1) < 0.15, "b \(fitted.b)")
    }
}
