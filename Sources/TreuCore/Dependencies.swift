import Foundation

/// Where "now" comes from. Live code reads the system clock; tests pass a fixed or stepping one.
public struct TreuClock: Sendable {
    public let now: @Sendable () -> Date
    public init(now: @escaping @Sendable () -> Date) { self.now = now }
    /// The system clock, to whole milliseconds (the precision Treu stores).
    public static let system = TreuClock {
        Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
    public static func fixed(_ date: Date) -> TreuClock { TreuClock { date } }
}

/// Makes ids: UUID version 7 (time-ordered, so lists sorted by id are in creation order), from
/// the clock and a random source that are injected.
public struct IDGenerator: Sendable {
    public let next: @Sendable () -> UUID
    public init(next: @escaping @Sendable () -> UUID) { self.next = next }

    /// UUIDv7 from the system clock and the system's random numbers.
    public static let live = IDGenerator { uuidV7(milliseconds: UInt64(Date().timeIntervalSince1970 * 1000), random: { UInt64.random(in: .min ... .max) }) }

    /// UUIDv7 with the given 48-bit millisecond time and 74 random bits.
    public static func uuidV7(milliseconds: UInt64, random: () -> UInt64) -> UUID {
        let a = random(), b = random()
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - i))) }
        for i in 6..<16 { bytes[i] = UInt8(truncatingIfNeeded: (i < 11 ? a : b) >> (8 * (i % 8))) }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)
        bytes[8] = 0x80 | (bytes[8] & 0x3F)
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    /// Ids counting up from `start` (…0001, …0002): for tests that read ids by eye.
    public static func sequential(start: UInt64 = 1) -> IDGenerator {
        let counter = Counter(start)
        return IDGenerator {
            let n = counter.next()
            return uuidV7(milliseconds: n, random: { 0 })
        }
    }
}

import Synchronization

final class Counter: Sendable {
    private let value: Mutex<UInt64>
    init(_ start: UInt64) { value = Mutex(start) }
    func next() -> UInt64 { value.withLock { v in defer { v += 1 }; return v } }
}
