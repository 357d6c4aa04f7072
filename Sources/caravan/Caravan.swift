import ArgumentParser

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
        subcommands: [RouteCommand.self, CompareCommand.self, PlacesCommand.self, DataCommand.self, NetworkCommand.self,
                      OrgsCommand.self, PolicyCommand.self, TimelineCommand.self, CalibrationCommand.self,
                      ScenarioCommand.self, CriticalityCommand.self, HubsCommand.self, ReliabilityCommand.self, AssignCommand.self,
                      EnergyCommand.self, ServeCommand.self]
    )
}
