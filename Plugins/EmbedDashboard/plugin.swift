import Foundation
import PackagePlugin

/// Runs dashboard-embed over the files of `dashboard/`, so the target that uses this plugin
/// carries them as a generated Swift source (and rebuilds when one of them changes).
@main
struct EmbedDashboard: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folder = context.package.directoryURL.appending(path: "dashboard")
        let files = try FileManager.default.contentsOfDirectory(
            at: folder, includingPropertiesForKeys: [.isRegularFileKey]
        )
        .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
        .filter { !$0.lastPathComponent.hasPrefix(".") }
        .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "DashboardEmbedded.swift")
        return [
            .buildCommand(
                displayName: "Embedding the dashboard's \(files.count) files",
                executable: try context.tool(named: "dashboard-embed").url,
                arguments: [output.path] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output]
            )
        ]
    }
}
