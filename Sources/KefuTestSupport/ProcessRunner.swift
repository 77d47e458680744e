import Foundation

/// Runs a program with piped input and collects what it prints, as end-to-end tests need.
public enum ProcessRunner {
    public struct Result {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// A started program whose input is written, and output read, by the caller, as it goes.
    public struct Running {
        public let process: Process
        public let stdin: Pipe, stdout: Pipe, stderr: Pipe
    }

    public static func start(_ executable: URL, _ arguments: [String], environment: [String: String],
                             directory: URL? = nil) throws -> Running {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = environment
        let running = Running(process: process, stdin: Pipe(), stdout: Pipe(), stderr: Pipe())
        process.standardInput = running.stdin
        process.standardOutput = running.stdout
        process.standardError = running.stderr
        try process.run()
        return running
    }

    public static func run(_ executable: URL, _ arguments: [String], input: Data, environment: [String: String],
                           directory: URL? = nil) throws -> Result {
        let running = try start(executable, arguments, environment: environment, directory: directory)
        let (process, stdin, stdout, stderr) = (running.process, running.stdin, running.stdout, running.stderr)
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }
}
