import Foundation

/// Where the knowledge folder is when none is given, for every executable (`kefu`, `kefu-server`): `KEFU_KNOWLEDGE`,
/// then `knowledge/` in the current directory, then upwards from the executable, so that `swift run` and a built
/// binary both find the package's knowledge. A folder counts when it holds `messages.txt`.
public enum KnowledgeLocation {
    public enum Found: Equatable, Sendable {
        case found(URL)
        /// Every folder looked in, in order, for the message that says where to put it.
        case notFound(looked: [String])
    }

    public static func find(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                            executable: String = CommandLine.arguments[0],
                            currentDirectory: String = FileManager.default.currentDirectoryPath) -> Found {
        if let explicit {
            return .found(URL(fileURLWithPath: (explicit as NSString).expandingTildeInPath).standardizedFileURL)
        }
        var candidates: [URL] = []
        if let configured = environment["KEFU_KNOWLEDGE"], !configured.isEmpty {
            candidates.append(URL(fileURLWithPath: configured))
        }
        candidates.append(URL(fileURLWithPath: currentDirectory).appendingPathComponent("knowledge"))
        var directory = URL(fileURLWithPath: executable, relativeTo: URL(fileURLWithPath: currentDirectory))
            .resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(directory.appendingPathComponent("knowledge"))
            directory = directory.deletingLastPathComponent()
        }
        var looked: [String] = []
        for candidate in candidates {
            let url = candidate.standardizedFileURL
            if looked.contains(url.path) { continue }  // the executable may sit in the current folder
            looked.append(url.path)
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("messages.txt").path) { return .found(url) }
        }
        return .notFound(looked: looked)
    }
}
