import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads knowledge files defensively: whatever an operator puts in the folder (a directory named like a
/// file, a symlink loop, a huge or binary file) becomes a diagnostic, never a crash or a hang.
public struct KnowledgeFileReader: Sendable {
    /// Knowledge files are hand-written text; anything larger is certainly a mistake.
    public static let maximumFileSize = 8 * 1024 * 1024

    public init() {}

    /// The file's text, or nil with an error recorded. `display` is the path shown in messages.
    public func read(_ url: URL, display: String, diagnostics: inout DiagnosticsEngine) -> String? {
        // stat(2) follows symbolic links, so a loop or a dangling link shows up here, as does anything
        // that is not a regular file: a folder, a FIFO (opening one would block forever), a device.
        var info = stat()
        if stat(url.path, &info) != 0 {
            let code = errno
            var link = stat()
            if code == ELOOP {
                diagnostics.error("is a symbolic link loop", file: display)
            } else if lstat(url.path, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK {
                diagnostics.error("is a broken or looping symbolic link", file: display)
            } else if code == EACCES {
                diagnostics.error("cannot be read (permission denied)", file: display)
            } else if code == ENOENT || code == ENOTDIR {
                diagnostics.error("file not found", file: display)
            } else {
                diagnostics.error("cannot be read: \(String(cString: strerror(code)))", file: display)
            }
            return nil
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            break
        case S_IFDIR:
            diagnostics.error("is a directory, expected a text file", file: display)
            return nil
        default:
            diagnostics.error("is not a regular file (a FIFO, socket or device), expected a text file", file: display)
            return nil
        }
        let size = Int(info.st_size)
        if size > KnowledgeFileReader.maximumFileSize {
            diagnostics.error("is \(size / 1_048_576) MB; knowledge files are limited to \(KnowledgeFileReader.maximumFileSize / 1_048_576) MB", file: display)
            return nil
        }
        let descriptor = open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            diagnostics.error(code == EACCES ? "cannot be read (permission denied)" : "cannot be read: \(String(cString: strerror(code)))", file: display)
            return nil
        }
        defer { close(descriptor) }
        // Read at most one byte past the limit: a file that grows (or lies about its size) stays bounded.
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while data.count <= KnowledgeFileReader.maximumFileSize {
            let count = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                diagnostics.error("cannot be read: \(String(cString: strerror(errno)))", file: display)
                return nil
            }
            if count == 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        if data.count > KnowledgeFileReader.maximumFileSize {
            diagnostics.error("is larger than \(KnowledgeFileReader.maximumFileSize / 1_048_576) MB", file: display)
            return nil
        }
        return decode(data, display: display, diagnostics: &diagnostics)
    }

    /// Decodes UTF-8, reporting each line with invalid bytes or NUL characters; those lines are blanked so
    /// the rest of the file still loads and every problem is reported at once.
    /// Control characters other than tab and line endings (ESC above all: terminal escape sequences) are
    /// errors too, since knowledge text is printed to customers' terminals.
    public func decode(_ data: Data, display: String, diagnostics: inout DiagnosticsEngine) -> String {
        if let text = String(data: data, encoding: .utf8), !text.unicodeScalars.contains(where: KnowledgeFileReader.isForbidden) {
            return text
        }
        var lines: [String] = []
        var lineNumber = 0
        // Lines as BlockFile counts them: LF, CRLF and a lone CR all end a line.
        var rawLines: [ArraySlice<UInt8>] = []
        let bytes = [UInt8](data)
        var start = 0
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\n") || bytes[index] == UInt8(ascii: "\r") {
                rawLines.append(bytes[start..<index])
                if bytes[index] == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { index += 1 }
                start = index + 1
            }
            index += 1
        }
        rawLines.append(bytes[start..<bytes.count])
        for rawLine in rawLines {
            lineNumber += 1
            if rawLine.contains(0) {
                diagnostics.error("contains a NUL byte (is this a binary file?)", file: display, line: lineNumber)
                lines.append("")
            } else if let line = String(bytes: rawLine, encoding: .utf8) {
                if let bad = line.unicodeScalars.first(where: KnowledgeFileReader.isForbidden) {
                    let code = String(bad.value, radix: 16, uppercase: true)
                    diagnostics.error("contains the control character U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code) (escape sequences and control characters are not allowed in knowledge text)", file: display, line: lineNumber)
                    lines.append("")
                } else {
                    lines.append(line)
                }
            } else {
                diagnostics.error("is not valid UTF-8 (save the file as UTF-8)", file: display, line: lineNumber)
                lines.append("")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// NUL, C0 controls other than tab and line endings, DEL and C1 controls.
    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        return scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
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
