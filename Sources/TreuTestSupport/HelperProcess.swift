import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The Python helpers the tests start (`scripts/…`): found from this file up to the package's
/// folder, started with python3, waited for until they write the port they listen on.
enum HelperProcess {
    static func script(_ name: String) -> URL {
        var folder = URL(fileURLWithPath: #filePath)
        while folder.path != "/" {
            folder.deleteLastPathComponent()
            let candidate = folder.appendingPathComponent("scripts/\(name)")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        return URL(fileURLWithPath: "scripts/\(name)")
    }

    /// Installs the PyPI package a helper needs if python3 cannot import it (once per process),
    /// so that `swift test` runs on a fresh machine with pip; a failed install leaves `missing` to say what to do.
    static func ensure(module: String, package: String) {
        installed.withLock { done in
            guard !done.contains(module) else { return }
            done.insert(module)
            if run(["python3", "-c", "import \(module)"]) == 0 { return }
            _ = run(["python3", "-m", "pip", "install", "-q", package])
        }
    }

    private static let installed = Mutex<Set<String>>([])

    private static func run(_ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        // Polled, not waitUntilExit (which can wait forever on a run loop from a task on Linux).
        for _ in 0..<6_000 where process.isRunning { usleep(20_000) }
        return process.isRunning ? -1 : process.terminationStatus
    }

    /// Starts `scripts/<name>` with `arguments` and a port file; returns it and its port.
    /// - Throws: `missing` (how to install what it needs) if it wrote no port within 20 s.
    static func start(_ name: String, _ arguments: [String], missing: String) throws -> (Process, Int) {
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID()).port")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script(name).path] + arguments + ["--port-file", portFile.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        var found: Int?
        while found == nil, Date() < deadline, process.isRunning {
            found = (try? String(contentsOf: portFile, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if found == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        try? FileManager.default.removeItem(at: portFile)
        guard let found else {
            stop(process)
            throw WebhookReceiver.ReceiverError(message: missing)
        }
        return (process, found)
    }

    /// Kills it (SIGKILL: from a task or a deinit on Linux, waitUntilExit can wait forever on a run loop).
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        for _ in 0..<200 where process.isRunning { usleep(10_000) }
    }
}
