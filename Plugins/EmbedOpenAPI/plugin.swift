import Foundation
import PackagePlugin

/// Embeds Sources/TreuServer/OpenAPI/openapi.json, the API's description, into the server
/// module as `OpenAPIDocument.json`: the document is an ordinary JSON file to edit and check
/// with any tool, and `treu` stays one binary that serves it at /openapi.json.
@main
struct EmbedOpenAPI: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let input = target.directoryURL.appending(path: "OpenAPI/openapi.json")
        let output = context.pluginWorkDirectoryURL.appending(path: "OpenAPIDocument.swift")
        return [.buildCommand(displayName: "Embedding the OpenAPI document", executable: try context.tool(named: "EmbedResource").url,
                              arguments: [input.path, output.path, "OpenAPIDocument"], inputFiles: [input], outputFiles: [output])]
    }
}
