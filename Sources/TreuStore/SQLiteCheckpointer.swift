import Foundation
import GRDB

/// Copies the write-ahead log back into the database file on a connection and thread of its
/// own, so that the writer does not stop for it. SQLite's default is that the connection whose
/// commit crosses 1,000 log pages copies them and flushes the file to disk, holding up every
/// write queued behind it; under a stream of small transactions that was about a seventh of the
/// machine's time spent waiting for the disk.
///
/// Every `interval` a passive checkpoint runs: it copies what no reader still needs and never
/// blocks the writer or a reader. The writer keeps an automatic checkpoint at `writerFallbackPages`
/// as a bound on the log, should this one fall behind or stop.
final class SQLiteCheckpointer: Sendable {
    static let writerFallbackPages = 16_384
    private let connection: DatabaseQueue
    private let loop: Task<Void, Never>

    init(path: String, interval: Duration = .milliseconds(250)) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        self.connection = connection
        loop = Task.detached(priority: .utility) {
            while (try? await Task.sleep(for: interval)) != nil {
                // GRDB runs this on the connection's own dispatch queue, off Swift's cooperative
                // threads. A failed checkpoint (the disk full, the file gone) leaves the log as
                // it is; the writer's own checkpoint and its errors stay in charge.
                _ = try? await connection.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
            }
        }
    }

    deinit { loop.cancel() }

    func stop() throws {
        loop.cancel()
        try connection.close()
    }
}
