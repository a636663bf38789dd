import Foundation
import GRDB

/// Copies the write-ahead log back into the database file on a connection and thread of its
/// own. SQLite's default is that the connection whose commit takes the log past 1,000 pages
/// copies them and flushes the file to disk, holding up every write queued behind it: under a
/// stream of single orders the machine waited on the disk a seventh of its time.
///
/// Every `interval` a passive checkpoint runs: it copies what no reader still needs and never
/// blocks the writer or a reader. It cannot start the log again from its beginning while
/// writes keep coming (only a writer can, once everything is copied), so the writer still
/// checkpoints at its own threshold (`SQLiteStore.WriteLoad`), finding most of the work done.
final class SQLiteCheckpointer: Sendable {
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
