import Foundation
import Testing
import TreuAnalytics

@Suite("Fits for large shops: analytic gradients and BFGS agree with the direct fits")
struct LargeFitTests {
    @Test func digammaMatchesKnownValues() {
        // ψ(1) = −γ (Euler–Mascheroni), ψ(1/2) = −γ − 2 ln 2, ψ(10) = H₉ − γ.
        let euler = 0.5772156649015329
        #expect(abs(SpecialFunctions.digamma(1) + euler) < 1e-12)
        #expect(abs(SpecialFunctions.digamma(0.5) - (-euler - 2 * log(2))) < 1e-12)
        let h9 = (1...9).reduce(0.0) { $0 + 1 / Double($1) }
        #expect(abs(SpecialFunctions.digamma(10) - (h9 - euler)) < 1e-12)
    }

    @Test func theBGNBDGradientMatchesFiniteDifferences() throws {
        let data = PackedHistories(try CDNOW.customers().map(\.history))
        let point = [log(0.3), log(5.0), log(0.9), log(2.0)]
        func model(_ p: [Double]) -> BGNBD { BGNBD(r: exp(p[0]), alpha: exp(p[1]), a: exp(p[2]), b: exp(p[3])) }
        let (value, gradient) = model(point).logLikelihoodAndGradient(data)
        let direct = try CDNOW.customers().reduce(0) { $0 + model(point).logLikelihood($1.history) }
        #expect(abs(value - direct) < 1e-6)
        for i in 0..<4 {
            var up = point, down = point
            up[i] += 1e-6; down[i] -= 1e-6
            let numeric = (model(up).logLikelihoodAndGradient(data).value - model(down).logLikelihoodAndGradient(data).value) / 2e-6
            #expect(abs(numeric - gradient[i]) < 1e-3 * max(1, abs(numeric)), "parameter \(i)")
        }
    }

    @Test func bothFitsFindThePapersParameters() throws {
        let histories = try CDNOW.customers().map(\.history)
        let (direct, _) = BGNBD.fit(histories)
        let (large, logLikelihood, evaluations) = BGNBD.fit(PackedHistories(histories))
        #expect(abs(large.r - direct.r) < 1e-4 && abs(large.alpha - direct.alpha) < 1e-3)
        #expect(abs(large.a - direct.a) < 1e-4 && abs(large.b - direct.b) < 1e-3)
        #expect(abs(logLikelihood - (-9582.43)) < 0.01)
        #expect(evaluations < 200)

        let repeaters = try CDNOW.customers().filter { $0.history.frequency > 0 }
            .map { (transactions: $0.history.frequency, meanValue: $0.meanRepeatValue) }
        let (spendDirect, _) = GammaGamma.fit(repeaters)
        let (spendLarge, _, _) = GammaGamma.fitLarge(repeaters)
        #expect(abs(spendLarge.p - spendDirect.p) < 1e-3 && abs(spendLarge.q - spendDirect.q) < 1e-3)
        #expect(abs(spendLarge.gamma - spendDirect.gamma) < 1e-2)
    }
}
