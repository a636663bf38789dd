import Foundation

/// The `tiers` section of a program document.
extension DocumentReader {
    mutating func tierProgram(_ value: Any) -> TierProgram? {
        let known: Set = ["metric", "window", "rolling_months", "keep_next_window", "downgrade", "grace_days", "levels"]
        guard let t = object(value, "tiers", known: known) else { return nil }
        let metric: TierProgram.Metric = choice(t, "metric", "tiers", required: true) ?? .spend
        var window = TierProgram.Window.calendarYear
        let months = integer(t, "rolling_months", "tiers", range: 1...60)
        switch string(t, "window", "tiers", required: true) {
        case "calendar_year": window = .calendarYear
        case "lifetime": window = .lifetime
        case "rolling": window = .rolling(months: months ?? 12)
        case nil: break
        case let other?: fail("tiers.window", "'\(other)' is not one of calendar_year, rolling, lifetime")
        }
        if months != nil, window != .rolling(months: months ?? 12) { fail("tiers.rolling_months", "is for window rolling") }
        let downgrade: TierProgram.Downgrade = choice(t, "downgrade", "tiers") ?? .toEarned
        if downgrade == .oneLevel, window != .calendarYear { fail("tiers.downgrade", "one_level is for window calendar_year") }
        let grace = integer(t, "grace_days", "tiers", range: 0...180) ?? 0
        var keep = flag(t, "keep_next_window", "tiers", default: true)
        if downgrade == .belowLevel {
            // The level goes with the metric: nothing kept into a next window, no grace.
            if t["keep_next_window"] as? Bool == true { fail("tiers.keep_next_window", "below_level keeps nothing into the next window: leave it out") }
            if grace > 0 { fail("tiers.grace_days", "below_level has no grace: leave it out") }
            keep = false
        }
        guard let list = t["levels"] as? [Any], !list.isEmpty else {
            fail("tiers.levels", "is a list of one or more levels")
            return nil
        }
        var levels: [TierProgram.Level] = []
        for (i, item) in list.enumerated() {
            let path = "tiers.levels[\(i)]"
            guard let l = object(item, path, known: ["name", "threshold", "multiplier", "free_shipping", "perks", "paid"]) else { continue }
            let name = string(l, "name", path, required: true) ?? ""
            let paid = flag(l, "paid", path)
            if paid, l["threshold"] != nil { fail("\(path).threshold", "a paid level is joined by a membership, not reached: it has no threshold") }
            let given = paid ? 0 : integer(l, "threshold", path, range: 0...1_000_000_000_000, required: true)
            let threshold = given ?? 0
            let multiplier = l["multiplier"].flatMap { factor($0, "\(path).multiplier", max: 10) }
            let freeShipping = flag(l, "free_shipping", path)
            let perks = texts(l["perks"], "\(path).perks", required: false)
            if levels.contains(where: { $0.name == name }) { fail("\(path).name", "'\(name)' names another level too") }
            if !paid, given != nil, let previous = levels.last(where: { !$0.paid }), threshold <= previous.threshold {
                fail("\(path).threshold", "is above the threshold of the level before (\(previous.threshold)): levels go up")
            }
            levels.append(.init(name: name, threshold: threshold, multiplier: multiplier, freeShipping: freeShipping, perks: perks, paid: paid))
        }
        return TierProgram(metric: metric, window: window, levels: levels, keepNextWindow: keep, downgrade: downgrade, graceDays: grace)
    }
}
