import ArgumentParser
import Foundation
import CaravanFormats

@main
struct Caravan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caravan",
        abstract: "Routes, corridors and policy of trans-Eurasian freight.",
        discussion: """
        Uses the bundled Eurasian dataset unless --data names another folder (a Caravan
        dataset or a TNTP network). Exit status: 0 ok, 1 no route, 2 bad argument or
        unknown place, 3 invalid dataset.
        """,
        subcommands: [RouteCommand.self, CompareCommand.self, MatrixCommand.self, PlacesCommand.self, DataCommand.self, NetworkCommand.self,
                      OrgsCommand.self, PolicyCommand.self, TimelineCommand.self, CalibrationCommand.self,
                      ScenarioCommand.self, CriticalityCommand.self, HubsCommand.self, ReliabilityCommand.self, AssignCommand.self,
                      EnergyCommand.self, ServeCommand.self, SweepCommand.self]
    )

    /// As ArgumentParser's main, but argument errors exit with status 2 (the documented
    /// "bad argument"), not 64, and messages never echo terminal control characters.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var c = command as? AsyncParsableCommand { try await c.run() } else { try command.run() }
        } catch {
            // Help, version and plain exit codes go through ArgumentParser unchanged.
            let code = exitCode(for: error)
            if code == .success || error is ExitCode { exit(withError: error) }
            FileHandle.standardError.write(Data((TextInput.safeMessage(fullMessage(for: error)) + "\n").utf8))
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}
