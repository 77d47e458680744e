import CEditLine
import KefuKit
import Foundation

/// What one `LineEditor.readLine(prompt:)` call produced; the caller decides
/// whether to re-prompt, quit, or shut down gracefully.
public enum LineReadResult: Equatable, Sendable {
    /// An accepted line, without its trailing newline.
    case line(String)
    /// Ctrl-C: the partial line was discarded, the caller should prompt again.
    case interrupted
    /// Ctrl-D on an empty line (or end of input): the user wants to leave.
    case endOfInput
    /// SIGTERM or SIGHUP arrived: the caller should clean up and exit.
    case terminated
}

/// Interactive line editing (cursor movement, history, Ctrl-R search, Tab
/// completion, CJK-aware editing) on top of libedit.
///
/// This is the only file that imports `CEditLine`: the C shims keep their
/// signal flags in `static` storage, which is shared only within one file.
/// Use one instance at a time; the signal handlers it installs are
/// process-wide. It is not thread-safe: call it from the thread that owns
/// the terminal.
public final class LineEditor {
    /// Decides whether libedit should be used at all: with piped input or a
    /// terminal that cannot move the cursor, plain line reading is both safer
    /// and what scripts expect. An unset or empty `TERM` counts as dumb.
    public static func standardInputIsInteractive() -> Bool {
        guard isatty(STDIN_FILENO) == 1 else { return false }
        guard let raw = getenv("TERM") else { return false }
        let term = String(cString: raw)
        return !term.isEmpty && term != "dumb"
    }

    private var editLine: OpaquePointer?
    private var history: OpaquePointer?
    private let historyFile: URL?
    private let state: EditorState
    private var isClosed = false

    /// The history file, if given, is loaded now (a missing or unreadable
    /// file just means an empty history) and written back by `close()`.
    /// `completer` receives the line up to the cursor and returns full
    /// candidate words for the word being typed, so the caller's completion
    /// logic stays free of libedit details.
    public init(programName: String, historyFile: URL?, historySize: Int = 1000,
                completer: @escaping (String) -> [String]) {
        self.historyFile = historyFile
        self.state = EditorState(completer: completer)

        // libedit reads the codeset in el_init, so the locale must come first.
        _ = kefu_el_setup_locale()
        _ = kefu_el_install_termination()

        history = history_winit()
        if let history {
            _ = kefu_hist_setsize(history, Int32(clamping: max(0, historySize)))
            _ = kefu_hist_setunique(history, 1)
            if let historyFile, FileManager.default.fileExists(atPath: historyFile.path) {
                _ = historyFile.withUnsafeFileSystemRepresentation { path in
                    path.map { kefu_hist_load(history, $0) } ?? -1
                }
            }
        }

        state.history = history
        guard let el = kefu_el_init(programName) else { return }
        editLine = el
        _ = kefu_el_set_clientdata(el, Unmanaged.passUnretained(state).toOpaque())
        _ = kefu_el_set_editor_emacs(el)
        _ = kefu_el_rewrite_instead_of_shifting(el)
        _ = kefu_el_set_signal_handling(el, 1)
        _ = kefu_el_use_own_reader(el)
        if let history { _ = kefu_el_set_history(el, history) }
        _ = kefu_el_set_prompt_esc(el, { el in LineEditor.promptBuffer(for: el) },
                                   wchar_t(LineEditor.promptEscape.value))
        kefu_el_bind_readline_keys(el)
        _ = kefu_el_add_function(el, "kefu-complete", "Complete the current word",
                                 { el, _ in LineEditor.complete(el) }, "^I")
        _ = kefu_el_add_function(el, "kefu-history-search", "Search the history for a line",
                                 { el, _ in LineEditor.startSearch(el) }, "^R")
        _ = kefu_el_add_function(el, "kefu-search-key", "A key typed during a history search",
                                 { el, _ in LineEditor.searchKey(el) }, "^^")
    }

    deinit {
        close()
    }

    /// The prompt may contain ANSI colour escapes: they are wrapped in the
    /// EL_PROMPT_ESC delimiter so they do not count as columns. libedit
    /// attaches each escape run to the next visible character, so a prompt
    /// that ends with an escape (e.g. a colour reset) gets it moved before a
    /// trailing space, or gains one trailing space; otherwise the reset would
    /// be dropped and the user's typing would inherit the colour.
    ///
    /// Ctrl-C discards the partial line and returns `.interrupted`; Ctrl-D on
    /// an empty line returns `.endOfInput`; SIGTERM/SIGHUP (also if received
    /// since the last call) return `.terminated`. In those three cases a
    /// newline is written so the next output starts at column 0.
    public func readLine(prompt: String) -> LineReadResult {
        if kefu_el_termination_signal() != 0 { return .terminated }
        guard !isClosed, let el = editLine else { return plainReadLine(prompt: prompt) }

        let libeditPrompt = LineEditor.promptForLibedit(prompt)
        state.prompt = libeditPrompt
        state.setPrompt(libeditPrompt)
        LineEditor.tellLayout(libeditPrompt)
        // A search never outlives the line it was started on (Ctrl-C, a signal, end of input).
        defer { endSearch() }
        kefu_el_clear_interrupt()
        _ = kefu_el_install_sigint()
        defer { kefu_el_restore_sigint() }

        _ = kefu_el_prepare_terminal(el)
        var count: Int32 = 0
        guard let wide = el_wgets(el, &count), count > 0 else {
            let readError = kefu_el_errno()
            if kefu_el_termination_signal() != 0 {
                el_reset(el)
                kefu_el_write_stdout("\n")
                return .terminated
            }
            if count < 0 && (kefu_el_interrupt_pending() != 0 || kefu_el_is_eintr(readError) != 0) {
                // The next prompt starts below the whole line, not under the cursor's row of a wrapped one.
                let below = Int(kefu_el_rows_below_cursor(el))
                el_reset(el)
                kefu_el_write_stdout(String(repeating: "\n", count: below + 1))
                return .interrupted
            }
            kefu_el_write_stdout("\n")
            return .endOfInput
        }
        var scalars = UnsafeBufferPointer(start: wide, count: Int(count)).map(LineEditor.scalar)
        while let last = scalars.last, last == "\n" || last == "\r" { scalars.removeLast() }
        return .line(String(String.UnicodeScalarView(scalars)))
    }

    /// The prompt shown while Ctrl-R searches the history, given the pattern and whether a line holds it;
    /// set it to the conversation's language before each `readLine`.
    public var historySearchPrompt: (String, Bool) -> String {
        get { state.searchPrompt }
        set { state.searchPrompt = newValue }
    }

    /// What Ctrl-R shows in `language`: the pattern typed so far, then the line found.
    public static func historySearchPrompt(_ language: Language) -> (String, Bool) -> String {
        switch language {
        case .zh: return { pattern, found in found ? "(搜索历史)「\(pattern)」：" : "(搜索历史·没有找到)「\(pattern)」：" }
        case .en: return { pattern, found in found ? "(history search) '\(pattern)': " : "(history search, not found) '\(pattern)': " }
        }
    }

    private func endSearch() {
        state.search = nil
        kefu_el_set_search_active(0)
        kefu_el_clear_queue()
    }

    /// History browsing only sees lines entered here, so the caller chooses
    /// what is worth recalling (e.g. not passwords or empty lines).
    public func addHistory(_ line: String) {
        guard let history, !isClosed, !line.isEmpty else { return }
        var wide = line.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        wide.append(0)
        _ = wide.withUnsafeBufferPointer { kefu_hist_enter(history, $0.baseAddress) }
    }

    /// Returns false (never crashes) when the file cannot be written, or when
    /// the editor is already closed. Without a history file there is nothing
    /// to fail, so it returns true. Writes to a temporary file and renames it,
    /// so a crash mid-write never truncates the existing history.
    @discardableResult
    public func saveHistory() -> Bool {
        guard !isClosed, let history else { return false }
        guard let historyFile else { return true }
        let target = historyFile.resolvingSymlinksInPath()
        let directory = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            return false
        }
        let temporary = directory.appendingPathComponent(".\(target.lastPathComponent).\(getpid()).tmp")
        return temporary.withUnsafeFileSystemRepresentation { tmpPath -> Bool in
            target.withUnsafeFileSystemRepresentation { targetPath -> Bool in
                guard let tmpPath, let targetPath else { return false }
                guard kefu_hist_save(history, tmpPath) >= 0 else {
                    unlink(tmpPath)
                    return false
                }
                // History can hold private questions: keep an existing file's
                // mode, otherwise make it owner-only.
                var info = stat()
                let mode: mode_t = stat(targetPath, &info) == 0 ? info.st_mode & 0o7777 : 0o600
                chmod(tmpPath, mode)
                guard rename(tmpPath, targetPath) == 0 else {
                    unlink(tmpPath)
                    return false
                }
                return true
            }
        }
    }

    /// Saves history and gives the terminal back in its original mode; safe
    /// to call more than once, and `deinit` calls it so no exit path leaves
    /// the terminal raw.
    public func close() {
        guard !isClosed else { return }
        saveHistory()
        isClosed = true
        if let el = editLine {
            el_end(el)  // restores the terminal settings captured by el_init
            editLine = nil
        }
        if let history {
            state.history = nil
            history_wend(history)
            self.history = nil
        }
        kefu_el_restore_sigint()
        kefu_el_restore_termination()
    }

    // MARK: - Fallback

    /// Used only if libedit could not be initialised or after close(), so a
    /// caller's loop still works instead of spinning on .endOfInput.
    private func plainReadLine(prompt: String) -> LineReadResult {
        kefu_el_write_stdout(prompt)
        guard let line = Swift.readLine(strippingNewline: true) else { return .endOfInput }
        return .line(line)
    }

    // MARK: - Prompt

    /// Delimiter for EL_PROMPT_ESC; must never occur in visible prompt text.
    private static let promptEscape: Unicode.Scalar = "\u{1}"

    /// libedit dereferences the prompt pointer, so it must never be NULL.
    nonisolated(unsafe) private static let emptyPrompt: UnsafeMutablePointer<wchar_t> = {
        let pointer = UnsafeMutablePointer<wchar_t>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return pointer
    }()

    private static func promptBuffer(for el: OpaquePointer?) -> UnsafeMutablePointer<wchar_t>? {
        guard let el, let raw = kefu_el_get_clientdata(el) else { return emptyPrompt }
        return Unmanaged<EditorState>.fromOpaque(raw).takeUnretainedValue().promptBuffer
    }

    /// Splits the prompt into visible characters, each preceded by the escape
    /// sequences written just before it, and re-emits every escape run as one
    /// delimited literal. libedit (literal_add) prints a literal together with
    /// the character after it and drops it when that character has no width
    /// or when nothing follows, hence the merging and the trailing fix-up.
    static func promptForLibedit(_ prompt: String) -> [Unicode.Scalar] {
        let input = Array(prompt.unicodeScalars.filter { $0 != promptEscape })
        var cells: [(literal: [Unicode.Scalar], character: Unicode.Scalar)] = []
        var pending: [Unicode.Scalar] = []
        var index = 0
        while index < input.count {
            let scalar = input[index]
            if scalar == "\u{1B}" {
                let end = endOfEscapeSequence(input, from: index)
                pending.append(contentsOf: input[index..<end])
                index = end
                continue
            }
            index += 1
            // Zero-width and control characters (e.g. a newline) are emitted
            // as themselves; pending escapes wait for the next visible one.
            cells.append(hasWidth(scalar) ? (pending, scalar) : ([], scalar))
            if hasWidth(scalar) { pending = [] }
        }
        if !pending.isEmpty {
            if let last = cells.last, last.character == " " {
                cells[cells.count - 1].literal += pending
            } else {
                cells.append((pending, " "))
            }
        }
        var output: [Unicode.Scalar] = []
        for cell in cells {
            if !cell.literal.isEmpty {
                output.append(promptEscape)
                output.append(contentsOf: cell.literal)
                output.append(promptEscape)
            }
            output.append(cell.character)
        }
        return output
    }

    /// The columns a prompt made by `promptForLibedit` takes on screen (its delimited escapes take none), or -1
    /// for a prompt over several rows, whose cursor column the editor then leaves to libedit; and whether a
    /// double-width character in it leaves a filler cell.
    static func visibleLayout(_ prompt: [Unicode.Scalar]) -> (columns: Int, wide: Bool) {
        var columns = 0
        var wide = false
        var inLiteral = false
        for scalar in prompt {
            if scalar == promptEscape { inLiteral.toggle(); continue }
            if inLiteral { continue }
            if scalar == "\n" || scalar == "\r" { return (-1, wide) }
            let width = DisplayWidth.of(scalar)
            columns += width
            if width > 1 { wide = true }
        }
        return (columns, wide)
    }

    /// The reader's cursor correction lays the line out after the prompt: it needs the prompt's width, and
    /// whether a double-width character in it leaves a filler cell.
    private static func tellLayout(_ prompt: [Unicode.Scalar]) {
        let layout = visibleLayout(prompt)
        kefu_el_set_prompt_columns(Int32(layout.columns), layout.wide ? 1 : 0)
    }

    /// Index just past the escape sequence starting at `start` (an ESC).
    private static func endOfEscapeSequence(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start + 1
        guard index < scalars.count else { return index }
        switch scalars[index] {
        case "[":  // CSI: parameters and intermediates, then one final byte
            index += 1
            while index < scalars.count {
                let value = scalars[index].value
                index += 1
                if (0x40...0x7E).contains(value) { break }
            }
            return index
        case "]":  // OSC: up to BEL or ST (ESC \)
            index += 1
            while index < scalars.count {
                if scalars[index] == "\u{7}" { return index + 1 }
                if scalars[index] == "\u{1B}", index + 1 < scalars.count, scalars[index + 1] == "\\" {
                    return index + 2
                }
                index += 1
            }
            return index
        default:
            return index + 1
        }
    }

    /// Approximates wcwidth > 0 without depending on the C declaration.
    private static func hasWidth(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) { return false }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control, .lineSeparator, .paragraphSeparator:
            return false
        default:
            return true
        }
    }

    // MARK: - History search

    /// Ctrl-R: from now on every key goes to `searchKey` until the search ends.
    private static func startSearch(_ el: OpaquePointer?) -> UInt8 {
        guard let el, let raw = kefu_el_get_clientdata(el), let info = el_wline(el) else { return UInt8(CC_ERROR) }
        let state = Unmanaged<EditorState>.fromOpaque(raw).takeUnretainedValue()
        guard state.search == nil else { return UInt8(CC_NORM) }
        let lineInfo = info.pointee
        guard let buffer = lineInfo.buffer, let cursor = lineInfo.cursor, let last = lineInfo.lastchar else {
            return UInt8(CC_ERROR)
        }
        let line = UnsafeBufferPointer(start: buffer, count: last - buffer).map(scalar)
        var entries: [[Unicode.Scalar]] = []
        if let history = state.history {
            var entry = kefu_hist_first(history)
            while let text = entry {
                entries.append(wideString(text).filter { $0 != "\n" })
                entry = kefu_hist_next(history)
            }
        }
        state.search = HistorySearch(entries: entries, line: line, cursor: cursor - buffer)
        kefu_el_set_search_active(1)
        return show(state, in: el)
    }

    /// One key while searching (the reader passes it as KEFU_EL_SEARCH_MARKER and keeps the real one).
    private static func searchKey(_ el: OpaquePointer?) -> UInt8 {
        guard let el, let raw = kefu_el_get_clientdata(el) else { return UInt8(CC_ERROR) }
        let state = Unmanaged<EditorState>.fromOpaque(raw).takeUnretainedValue()
        guard var search = state.search else { return UInt8(CC_NORM) }
        let key = (0..<kefu_el_search_key_count()).map { scalar(kefu_el_search_key_at($0)) }
        let outcome = search.handle(key)
        state.search = search
        switch outcome {
        case .show:
            return show(state, in: el)
        case .cancel:
            finish(state, in: el, line: search.originalLine, cursor: search.originalCursor)
        case .accept:
            finish(state, in: el, line: search.line, cursor: search.line.count)
            kefu_el_queue_key(wchar_t(0x0D))  // read next as Enter: the line runs as if typed
        case .finish(let passing):
            finish(state, in: el, line: search.line, cursor: search.cursor)
            for scalar in passing { kefu_el_queue_key(wchar_t(bitPattern: scalar.value)) }
        }
        return UInt8(CC_REDISPLAY)
    }

    private static func show(_ state: EditorState, in el: OpaquePointer) -> UInt8 {
        guard let search = state.search else { return UInt8(CC_REDISPLAY) }
        let pattern = String(String.UnicodeScalarView(search.pattern))
        let prompt = promptForLibedit(state.searchPrompt(pattern, search.found))
        state.setPrompt(prompt)
        tellLayout(prompt)
        replaceLine(in: el, with: search.line, cursor: search.cursor)
        return UInt8(CC_REDISPLAY)
    }

    private static func finish(_ state: EditorState, in el: OpaquePointer, line: [Unicode.Scalar], cursor: Int) {
        state.search = nil
        kefu_el_set_search_active(0)
        state.setPrompt(state.prompt)
        tellLayout(state.prompt)
        replaceLine(in: el, with: line, cursor: cursor)
    }

    /// The whole edit buffer replaced by `line`, the cursor `cursor` characters into it.
    private static func replaceLine(in el: OpaquePointer, with line: [Unicode.Scalar], cursor: Int) {
        guard let info = el_wline(el), let buffer = info.pointee.buffer, let last = info.pointee.lastchar else { return }
        let length = last - buffer
        _ = el_cursor(el, Int32(clamping: length))
        if length > 0 { el_deletestr(el, Int32(clamping: length)) }
        insert(line, into: el)
        _ = el_cursor(el, Int32(clamping: max(0, min(cursor, line.count)) - line.count))
    }

    private static func wideString(_ text: UnsafePointer<wchar_t>) -> [Unicode.Scalar] {
        var scalars: [Unicode.Scalar] = []
        var pointer = text
        while pointer.pointee != 0 {
            scalars.append(scalar(pointer.pointee))
            pointer += 1
        }
        return scalars
    }

    // MARK: - Completion

    /// Called by libedit for Tab; must not capture context (@convention(c)),
    /// so the completer comes from the EL_CLIENTDATA box.
    private static func complete(_ el: OpaquePointer?) -> UInt8 {
        guard let el, let raw = kefu_el_get_clientdata(el), let info = el_wline(el) else {
            return UInt8(CC_ERROR)
        }
        let state = Unmanaged<EditorState>.fromOpaque(raw).takeUnretainedValue()
        let lineInfo = info.pointee
        guard let buffer = lineInfo.buffer, let cursor = lineInfo.cursor else { return UInt8(CC_ERROR) }
        let beforeCursor = UnsafeBufferPointer(start: buffer, count: cursor - buffer).map(scalar)
        let wordStart = beforeCursor.lastIndex(where: { $0.properties.isWhitespace }).map { $0 + 1 } ?? 0
        let word = Array(beforeCursor[wordStart...])

        var seen = Set<String>()
        let candidates = state.completer(String(String.UnicodeScalarView(beforeCursor)))
            .filter { !$0.isEmpty && seen.insert($0).inserted }
            .map { Array($0.unicodeScalars) }

        switch candidates.count {
        case 0:
            return UInt8(CC_REFRESH_BEEP)
        case 1:
            let candidate = candidates[0]
            if candidate.starts(with: word) {
                insert(Array(candidate[word.count...]) + [" "], into: el)
            } else {
                // The completer matched differently (e.g. case): replace the word.
                el_deletestr(el, Int32(word.count))
                insert(candidate + [" "], into: el)
            }
            return UInt8(CC_REFRESH)
        default:
            let common = commonPrefix(candidates)
            if common.count > word.count && common.starts(with: word) {
                insert(Array(common[word.count...]), into: el)
                return UInt8(CC_REFRESH)
            }
            let listing = candidates.map { String(String.UnicodeScalarView($0)) }.joined(separator: "  ")
            kefu_el_write_stdout("\r\n" + listing + "\r\n")
            return UInt8(CC_REDISPLAY)
        }
    }

    private static func insert(_ scalars: [Unicode.Scalar], into el: OpaquePointer) {
        guard !scalars.isEmpty else { return }
        var wide = scalars.map { wchar_t(bitPattern: $0.value) }
        wide.append(0)
        _ = wide.withUnsafeBufferPointer { el_winsertstr(el, $0.baseAddress) }
    }

    private static func commonPrefix(_ words: [[Unicode.Scalar]]) -> [Unicode.Scalar] {
        guard var prefix = words.first else { return [] }
        for word in words.dropFirst() {
            let shared = zip(prefix, word).prefix(while: { $0 == $1 }).count
            prefix.removeSubrange(shared...)
        }
        return prefix
    }

    /// wchar_t is a UTF-32 code unit on Linux; anything invalid becomes U+FFFD.
    private static func scalar(_ value: wchar_t) -> Unicode.Scalar {
        Unicode.Scalar(UInt32(bitPattern: value)) ?? "\u{FFFD}"
    }
}

/// State the C callbacks reach through EL_CLIENTDATA; a class so one stable
/// pointer can be handed to libedit for the editor's whole life.
private final class EditorState {
    let completer: (String) -> [String]
    /// The history search under way, nil when none.
    var search: HistorySearch?
    /// The editor's history, for the search.
    var history: OpaquePointer?
    /// The prompt of this readLine call, put back when a search ends.
    var prompt: [Unicode.Scalar] = []
    /// The search prompt for a pattern and whether it was found.
    var searchPrompt: (String, Bool) -> String = LineEditor.historySearchPrompt(.en)
    /// Owned here because libedit reads the prompt after the callback returns.
    private(set) var promptBuffer: UnsafeMutablePointer<wchar_t>

    init(completer: @escaping (String) -> [String]) {
        self.completer = completer
        promptBuffer = .allocate(capacity: 1)
        promptBuffer.initialize(to: 0)
    }

    func setPrompt(_ scalars: [Unicode.Scalar]) {
        let buffer = UnsafeMutablePointer<wchar_t>.allocate(capacity: scalars.count + 1)
        for (offset, scalar) in scalars.enumerated() {
            (buffer + offset).initialize(to: wchar_t(bitPattern: scalar.value))
        }
        (buffer + scalars.count).initialize(to: 0)
        promptBuffer.deallocate()
        promptBuffer = buffer
    }

    deinit {
        promptBuffer.deallocate()
    }
}

/// Reads plain lines from a pipe or file when stdin is not a terminal. Unlike `Swift.readLine`, it
/// notices SIGTERM and SIGHUP (the read returns EINTR), so a piped session ends cleanly: the current turn
/// finished, the store session closed.
public final class PipedLineReader {
    /// The most bytes of one line kept: far more than `CustomerInput.maximumScalars` characters need,
    /// even in four-byte UTF-8 with escape sequences around them. The rest of a longer line is dropped as
    /// it arrives, so a megabyte paste (or a file with no newline at all) costs neither memory nor time;
    /// the line still reads as too long, so the customer is told it was cut.
    public static let lineByteLimit = 65_536

    private var buffer: [UInt8] = []
    private var start = 0
    /// Bytes from `start` up to here hold no newline: the next search starts here, so a long line is
    /// scanned once, not once per chunk.
    private var scanned = 0
    /// The line being read passed `lineByteLimit`: its bytes are dropped until its newline.
    private var discarding = false
    private var atEnd = false
    private var chunk = [UInt8](repeating: 0, count: 65_536)

    public init() { _ = kefu_el_install_termination() }

    deinit { kefu_el_restore_termination() }

    /// True once SIGTERM or SIGHUP arrived.
    public var terminated: Bool { kefu_el_termination_signal() != 0 }

    /// The next line without its line ending; nil at end of input or after a termination signal.
    public func readLine() -> String? {
        while true {
            if terminated { return nil }
            if let newline = buffer[scanned...].firstIndex(of: 10) {
                var end = newline
                if end > start && buffer[end - 1] == 13 { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = newline + 1
                scanned = start
                if start > 65_536 && start * 2 > buffer.count {
                    buffer.removeFirst(start)
                    start = 0
                    scanned = 0
                }
                return line
            }
            scanned = buffer.count
            if buffer.count - start > Self.lineByteLimit {
                buffer.removeSubrange((start + Self.lineByteLimit)...)
                scanned = buffer.count
                discarding = true
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = String(decoding: buffer[start...], as: UTF8.self)
                start = buffer.count
                scanned = start
                return line
            }
            // Wait in short slices: a signal may be delivered to another thread (the matcher trains in the
            // background), so the read itself is not always interrupted; the flag is checked every slice.
            var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 200)
            if ready == 0 { continue }
            if ready < 0 {
                if kefu_el_is_eintr(kefu_el_errno()) != 0 { continue }
                atEnd = true
                continue
            }
            let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count > 0 {
                if discarding {
                    // Keep nothing of the over-long line; resume at its newline.
                    guard let newline = chunk[0..<count].firstIndex(of: 10) else { continue }
                    discarding = false
                    buffer.append(contentsOf: chunk[newline..<count])
                } else {
                    buffer.append(contentsOf: chunk[0..<count])
                }
            } else if count == 0 {
                atEnd = true
            } else if kefu_el_is_eintr(kefu_el_errno()) == 0 {
                atEnd = true
            }
        }
    }
}
