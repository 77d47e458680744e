import Foundation

/// Reads knowledge files defensively: whatever an operator puts in the folder (a directory named like a
/// file, a symlink loop, a huge or binary file) becomes a diagnostic, never a crash or a hang.
public struct KnowledgeFileReader: Sendable {
    /// Knowledge files are hand-written text; anything larger is certainly a mistake.
    public static let maximumFileSize = 8 * 1024 * 1024

    public init() {}

    /// The file's text, or nil with an error recorded. `display` is the path shown in messages.
    public func read(_ url: URL, display: String, diagnostics: inout DiagnosticsEngine) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) != nil {
                diagnostics.error("is a broken or looping symbolic link", file: display)
            } else {
                diagnostics.error("file not found", file: display)
            }
            return nil
        }
        if isDirectory.boolValue {
            diagnostics.error("is a directory, expected a text file", file: display)
            return nil
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        if let size = attributes?[.size] as? NSNumber, size.intValue > KnowledgeFileReader.maximumFileSize {
            diagnostics.error("is \(size.intValue / 1_048_576) MB; knowledge files are limited to \(KnowledgeFileReader.maximumFileSize / 1_048_576) MB", file: display)
            return nil
        }
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            diagnostics.error("cannot be read (permission denied?)", file: display)
            return nil
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: KnowledgeFileReader.maximumFileSize + 1) ?? Data()
        } catch {
            diagnostics.error("cannot be read: \(error.localizedDescription)", file: display)
            return nil
        }
        if data.count > KnowledgeFileReader.maximumFileSize {
            diagnostics.error("is larger than \(KnowledgeFileReader.maximumFileSize / 1_048_576) MB", file: display)
            return nil
        }
        return decode(data, display: display, diagnostics: &diagnostics)
    }

    /// Decodes UTF-8, reporting each line with invalid bytes or NUL characters; those lines are blanked so
    /// the rest of the file still loads and every problem is reported at once.
    public func decode(_ data: Data, display: String, diagnostics: inout DiagnosticsEngine) -> String {
        if let text = String(data: data, encoding: .utf8), !text.contains("\0") { return text }
        var lines: [String] = []
        var lineNumber = 0
        for rawLine in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if rawLine.contains(0) {
                diagnostics.error("contains a NUL byte (is this a binary file?)", file: display, line: lineNumber)
                lines.append("")
            } else if let line = String(data: Data(rawLine), encoding: .utf8) {
                lines.append(line)
            } else {
                diagnostics.error("is not valid UTF-8 (save the file as UTF-8)", file: display, line: lineNumber)
                lines.append("")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The `.txt` files of a folder in name order (deterministic), or an error if the folder is unusable.
    public func textFiles(in directory: URL, display: String, diagnostics: inout DiagnosticsEngine) -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return []
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
            diagnostics.error("folder cannot be read", file: display)
            return []
        }
        return names.filter { $0.hasSuffix(".txt") && !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0) }
    }
}
