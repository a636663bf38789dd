import ArgumentParser
import Foundation
import TreuCore
import TreuServer

struct ProgramCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "program", abstract: "Work with program documents.",
                                                    subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a program document: every problem with its path, and a non-zero exit if there is one.")
        @Argument(help: "The program document (JSON).")
        var file: String

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError(message: "cannot open \(file)") }
            do {
                let program = try Program.parse(data)
                print("\(file): valid — \(program.name), \(program.earning.rules.count) earning rule(s), \(program.actions.count) action rule(s), time zone \(program.timeZoneName)")
            } catch {
                for problem in error.problems { print("\(file): \(problem)") }
                throw ExitCode(1)
            }
        }
    }
}
