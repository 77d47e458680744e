import Foundation

/// The Python scripts in `Tests/Fixtures/pty/` that run `kefu` in a pseudo-terminal and print a JSON report:
/// Swift has no pseudo-terminal or terminal emulator of its own to drive it with.
public enum PseudoTerminalScript {
    /// The system Python (Debian's python3-pyte is installed for it), or nil when there is none.
    public static var python: URL? {
        ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
            .map { URL(fileURLWithPath: $0) }
    }

    /// Runs `Tests/Fixtures/pty/NAME` with `arguments`; returns its exit status, its report (stdout) and what it
    /// said on stderr.
    public static func run(_ name: String, _ arguments: [String], environment: [String: String]) throws
        -> (status: Int32, report: Data, errors: String) {
        guard let python else { throw CocoaError(.fileNoSuchFile) }
        let process = Process()
        process.executableURL = python
        process.arguments = [Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/pty/\(name)").path] + arguments
        process.environment = environment
        process.currentDirectoryURL = Fixtures.packageRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data, String(decoding: errors, as: UTF8.self))
    }
}
