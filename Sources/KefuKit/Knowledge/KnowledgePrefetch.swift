import Foundation

/// The largest knowledge files, read and parsed on the second core while the loader works through the others in order.
/// Reading and parsing was a third of the time to the prompt, and most of it in three files (escalation, profile
/// answers, openings) that the loader needs only after the FAQ. The loader takes each file's blocks and diagnostics
/// at the point where it would have read the file itself, so the report is the same, in the same order.
final class KnowledgePrefetch: @unchecked Sendable {
    /// One file to read ahead: where it is, its name in diagnostics, and how it is parsed.
    struct File: Sendable {
        let url: URL
        let display: String
        var allowsReasonIDs = false
    }

    private struct Parsed {
        let file: BlockFile?
        let diagnostics: [Diagnostic]
    }

    private let condition = NSCondition()
    private var parsed: [String: Parsed] = [:]
    private let pending: Set<String>

    /// Starts reading `files`, in order, on a background thread (a file that is not there is left to the loader).
    init(_ files: [File], reader: KnowledgeFileReader) {
        let present = files.filter { KnowledgeLoader.present($0.url) }
        pending = Set(present.map(\.url.path))
        guard !present.isEmpty else { return }
        DispatchQueue.global(qos: .userInitiated).async {
            for file in present {
                var diagnostics = DiagnosticsEngine()
                let text = reader.read(file.url, display: file.display, diagnostics: &diagnostics)
                let blocks = text.map { BlockFile.parse($0, path: file.display, allowsReasonIDs: file.allowsReasonIDs, diagnostics: &diagnostics) }
                self.condition.lock()
                self.parsed[file.url.path] = Parsed(file: blocks, diagnostics: diagnostics.diagnostics)
                self.condition.broadcast()
                self.condition.unlock()
            }
        }
    }

    /// The file at `url` read and parsed (waiting for the background thread when it was read ahead), with its
    /// diagnostics added to `diagnostics`; nil when it could not be read.
    func blocks(_ url: URL, display: String, allowsReasonIDs: Bool = false, reader: KnowledgeFileReader,
                diagnostics: inout DiagnosticsEngine) -> BlockFile? {
        guard pending.contains(url.path) else {
            guard let text = reader.read(url, display: display, diagnostics: &diagnostics) else { return nil }
            return BlockFile.parse(text, path: display, allowsReasonIDs: allowsReasonIDs, diagnostics: &diagnostics)
        }
        condition.lock()
        while parsed[url.path] == nil { condition.wait() }
        let result = parsed[url.path]!
        condition.unlock()
        diagnostics.append(contentsOf: result.diagnostics)
        return result.file
    }
}
