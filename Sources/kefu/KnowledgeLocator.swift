import ArgumentParser
import Foundation
import KefuTerminal

/// Finds the knowledge folder when none is given: next to the current directory, then upwards from the
/// executable (so `swift run kefu` and a built `.build/debug/kefu` both find the package's knowledge/).
enum KnowledgeLocator {
    struct NotFound: Error, CustomStringConvertible {
        var looked: [String]
        var description: String {
            "kefu: cannot find the knowledge folder. Looked in:\n" + looked.map { "  \($0)" }.joined(separator: "\n")
                + "\nUse --knowledge DIR to say where it is."
        }
    }

    static func locate(explicit: String?) throws -> URL {
        if let explicit {
            return URL(fileURLWithPath: (explicit as NSString).expandingTildeInPath).standardizedFileURL
        }
        var looked: [String] = []
        var candidates: [URL] = []
        if let environment = ProcessInfo.processInfo.environment["KEFU_KNOWLEDGE"], !environment.isEmpty {
            candidates.append(URL(fileURLWithPath: environment))
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("knowledge"))
        let executable = URL(fileURLWithPath: CommandLine.arguments[0], relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(directory.appendingPathComponent("knowledge"))
            directory = directory.deletingLastPathComponent()
        }
        for candidate in candidates {
            let url = candidate.standardizedFileURL
            if looked.contains(url.path) { continue }  // the executable may sit in the current folder
            looked.append(url.path)
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("messages.txt").path) { return url }
        }
        Console.err(NotFound(looked: looked).description)
        throw ExitCode(1)
    }
}
