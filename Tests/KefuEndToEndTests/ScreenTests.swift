import Foundation
import KefuKit
import KefuTestSupport
import XCTest

/// The shell as a customer sees it (issue 19): `kefu` runs in a pseudo-terminal of a fixed size, a VT100
/// emulator (pyte, driven by Tests/Fixtures/pty/screen.py) renders what it writes, and the tests read the
/// screen, not the bytes. Every editing case checks that the rows from the prompt down show exactly the
/// prompt and the buffer, laid out as a terminal lays them out, with the cursor on the right cell.
final class ScreenTests: XCTestCase {
    struct Snapshot: Decodable {
        var rows: [String]
        var cursor: [Int]
        var x: Int { cursor[0] }
        var y: Int { cursor[1] }
        var text: String { rows.filter { !$0.isEmpty }.joined(separator: "\n") }
    }

    struct Report: Decodable {
        var snapshots: [String: Snapshot]
        var stty: [String: String]
        var status: Int?
        var output: String
    }

    enum Step {
        case type(String)
        case keys([String])
        case wait(String)
        case reply
        case resize(columns: Int, rows: Int)
        case signal(String)
        case snapshot(String)
        case stty(String)
        case exit

        var json: [String: Any] {
            switch self {
            case .type(let text): return ["type": text]
            case .keys(let keys): return ["keys": keys]
            case .wait(let text): return ["wait": text, "seconds": 60]
            case .reply: return ["reply": 60]
            case .resize(let columns, let rows): return ["resize": [columns, rows]]
            case .signal(let name): return ["signal": name]
            case .snapshot(let name): return ["snapshot": name]
            case .stty(let name): return ["stty": name]
            case .exit: return ["exit": 20]
            }
        }
    }

    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-screen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDown() {
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    /// Runs kefu (no store, no colour, a fresh history) at `columns` × `rows` through `steps`.
    func screen(columns: Int, rows: Int = 30, arguments: [String] = [], _ steps: [Step],
                file: StaticString = #filePath, line: UInt = #line) throws -> Report {
        let probe = Process()
        probe.arguments = ["-c", "import pyte, wcwidth"]
        probe.standardError = FileHandle.nullDevice
        if let python = PseudoTerminalScript.python {
            probe.executableURL = python
            try probe.run()
            probe.waitUntilExit()
        }
        guard PseudoTerminalScript.python != nil, probe.terminationStatus == 0 else {
            let message = "the screen tests need Debian's python3-pyte (apt-get install -y python3-pyte)"
            if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail(message, file: file, line: line) }
            throw XCTSkip(message)
        }
        let plan: [String: Any] = [
            "kefu": Fixtures.kefuExecutable.path,
            "args": ["--no-store", "--no-color"] + arguments,
            "columns": columns, "rows": rows, "cwd": Fixtures.packageRoot.path,
            "env": ["XDG_STATE_HOME": scratch.appendingPathComponent("state").path,
                    "XDG_DATA_HOME": scratch.appendingPathComponent("data").path, "NO_COLOR": ""],
            "steps": [Step.wait("you> ").json] + steps.map(\.json),
        ]
        let planURL = scratch.appendingPathComponent("plan-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: plan).write(to: planURL)
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "KEFU_KNOWLEDGE")
        let run = try PseudoTerminalScript.run("screen.py", [planURL.path], environment: environment)
        XCTAssertEqual(run.status, 0, run.errors, file: file, line: line)
        return try JSONDecoder().decode(Report.self, from: run.report)
    }

    // MARK: - The layout a terminal gives a line

    /// Rows of `text` on a terminal `columns` wide: a double-width character that does not fit in a row
    /// starts the next one (the cell it leaves is empty); trailing spaces are not shown.
    static func rows(_ text: String, columns: Int) -> [String] {
        var rows: [String] = []
        var row = ""
        var x = 0
        for scalar in text.unicodeScalars {
            let width = DisplayWidth.of(scalar)
            if x + width > columns {
                rows.append(row)
                row = ""
                x = 0
            }
            row.unicodeScalars.append(scalar)
            x += width
        }
        rows.append(row)
        return rows.map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }
    }

    /// The cell of the character at `index` (or just past the end) in `text` laid out at `columns`.
    static func cell(_ text: String, at index: Int, columns: Int) -> (x: Int, y: Int) {
        var x = 0, y = 0
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            let width = DisplayWidth.of(scalar)
            if x + width > columns { x = 0; y += 1 }
            if offset == index { return (x, y) }
            x += width
        }
        if x >= columns { return (0, y + 1) }
        return (x, y)
    }

    /// The rows from the last prompt down show `you> ` + `buffer` and nothing after it, and the cursor is
    /// on character `cursor` of the buffer.
    func assertShows(_ snapshot: Snapshot?, buffer: String, cursor: Int, columns: Int, _ label: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        guard let snapshot else { return XCTFail("\(label): no snapshot", file: file, line: line) }
        guard let top = snapshot.rows.lastIndex(where: { $0.hasPrefix("you>") }) else {
            return XCTFail("\(label): no prompt on the screen:\n\(snapshot.text)", file: file, line: line)
        }
        let text = Transcript.customerPrefix + buffer
        let expected = ScreenTests.rows(text, columns: columns)
        let shown = Array(snapshot.rows[top..<min(snapshot.rows.count, top + expected.count + 2)])
        XCTAssertEqual(shown, expected + Array(repeating: "", count: max(0, shown.count - expected.count)),
                       "\(label) at \(columns) columns: the screen is not the buffer:\n\(snapshot.text)", file: file, line: line)
        let want = ScreenTests.cell(text, at: Transcript.customerPrefix.unicodeScalars.count + cursor, columns: columns)
        XCTAssertEqual([snapshot.x, snapshot.y], [want.x, top + want.y],
                       "\(label) at \(columns) columns: the cursor", file: file, line: line)
    }

    // MARK: - Editing

    static let question = "我想问一下我昨天晚上从零钱通提现了两万块钱到招商银行卡为什么到现在还没有到账呢"
    static let longQuestion = question + "还有就是我上个月买的基金一直在亏钱怎么办才好呀能不能帮我看看"

    struct EditCase {
        var name: String
        var typed: String
        var keys: [Step]
        var buffer: String
        var cursor: Int
    }

    /// Insert, delete, Home/End, word motion and kill at the start, middle and end of lines that wrap once
    /// or twice, at 40, 60 and 120 columns, and a wide character that would straddle the right margin.
    /// Each case is typed on a cleared line of the same session (Ctrl-U kills the whole line, as in libedit).
    func testEditingAWrappedChineseLineAlwaysShowsTheBuffer() throws {
        for columns in [40, 60, 120] {
            var cases: [EditCase] = []
            for base in [Self.question, Self.longQuestion, "x" + Self.question] {
                let characters = Array(base.unicodeScalars).map { String($0) }
                func text(_ range: Range<Int>) -> String { characters[range].joined() }
                let n = characters.count
                let right = { (count: Int) in [String](repeating: "right", count: count) }
                cases += [
                    EditCase(name: "Home, then AB", typed: base, keys: [.keys(["home"]), .type("AB")], buffer: "AB" + base, cursor: 2),
                    EditCase(name: "Home, then 中", typed: base, keys: [.keys(["home"]), .type("中")], buffer: "中" + base, cursor: 1),
                    EditCase(name: "AB in the middle", typed: base, keys: [.keys(["home"] + right(20)), .type("AB")],
                             buffer: text(0..<20) + "AB" + text(20..<n), cursor: 22),
                    EditCase(name: "中文 in the middle", typed: base, keys: [.keys(["home"] + right(27)), .type("中文")],
                             buffer: text(0..<27) + "中文" + text(27..<n), cursor: 29),
                    EditCase(name: "Delete at the start", typed: base, keys: [.keys(["home", "delete"])], buffer: text(1..<n), cursor: 0),
                    EditCase(name: "Backspace ×3 in the middle", typed: base, keys: [.keys(["home"] + right(28) + ["backspace", "backspace", "backspace"])],
                             buffer: text(0..<25) + text(28..<n), cursor: 25),
                    EditCase(name: "Backspace at the end", typed: base, keys: [.keys(["backspace"])], buffer: text(0..<(n - 1)), cursor: n - 1),
                    EditCase(name: "中 at the end", typed: base, keys: [.type("中")], buffer: base + "中", cursor: n + 1),
                    EditCase(name: "Ctrl-K in the middle", typed: base, keys: [.keys(["home"] + right(10) + ["ctrl-k"])], buffer: text(0..<10), cursor: 10),
                    EditCase(name: "Ctrl-A, Ctrl-E, then A", typed: base, keys: [.keys(["ctrl-a", "ctrl-e"]), .type("A")], buffer: base + "A", cursor: n + 1),
                    EditCase(name: "word left twice, then X", typed: base + " hello world", keys: [.keys(["alt-b", "alt-b"]), .type("X")],
                             buffer: base + " Xhello world", cursor: n + 2),
                    EditCase(name: "Ctrl-W after a word", typed: base + " hello world", keys: [.keys(["ctrl-w"])],
                             buffer: base + " hello ", cursor: n + 7),
                    EditCase(name: "Ctrl-Left, Ctrl-Right, then Y", typed: base + " hello world", keys: [.keys(["ctrl-left", "ctrl-left", "ctrl-right"]), .type("Y")],
                             buffer: base + " helloY world", cursor: n + 7),
                ]
            }
            // A wide character that would straddle the right margin goes to the next row.
            let straddling = String(repeating: "A", count: columns - 6) + "中文字"
            cases += [
                EditCase(name: "straddling, B at the start", typed: straddling, keys: [.keys(["home"]), .type("B")], buffer: "B" + straddling, cursor: 1),
                EditCase(name: "straddling, Delete at the start", typed: straddling, keys: [.keys(["home", "delete"])], buffer: String(straddling.dropFirst()), cursor: 0),
                EditCase(name: "straddling, cursor on the wide character", typed: straddling, keys: [.keys(["left", "left", "left"])],
                         buffer: straddling, cursor: straddling.unicodeScalars.count - 3),
            ]
            var steps: [Step] = []
            for (index, edit) in cases.enumerated() {
                steps += [.type(edit.typed)] + edit.keys + [.snapshot("\(index)"), .keys(["ctrl-u"])]
            }
            let report = try screen(columns: columns, steps)
            for (index, edit) in cases.enumerated() {
                assertShows(report.snapshots["\(index)"], buffer: edit.buffer, cursor: edit.cursor, columns: columns,
                            "\(edit.name) on “\(edit.typed.prefix(6))…”")
            }
        }
    }

    /// A line recalled from history (Up) is edited like a typed one: at its start, middle and end, on lines that
    /// wrap once and twice.
    func testARecalledWrappedLineIsEditedInPlace() throws {
        for (columns, line) in [(40, Self.question), (60, Self.longQuestion), (120, Self.longQuestion)] {
            let report = try screen(columns: columns, [
                .type(line + "\r"), .reply,
                .keys(["up"]), .snapshot("recalled"),
                .keys(["home"]), .type("请问"), .snapshot("start"),
                .keys([String](repeating: "right", count: 20)), .type("昨晚"), .snapshot("middle"),
                .keys(["end"]), .type("？"), .snapshot("end"),
            ])
            let characters = Array(line.unicodeScalars).map { String($0) }
            let n = characters.count
            assertShows(report.snapshots["recalled"], buffer: line, cursor: n, columns: columns, "recalled")
            assertShows(report.snapshots["start"], buffer: "请问" + line, cursor: 2, columns: columns, "recalled, typed at the start")
            let middle = "请问" + characters[0..<20].joined() + "昨晚" + characters[20...].joined()
            assertShows(report.snapshots["middle"], buffer: middle, cursor: 24, columns: columns, "recalled, typed in the middle")
            assertShows(report.snapshots["end"], buffer: middle + "？", cursor: n + 5, columns: columns, "recalled, typed at the end")
        }
    }

    /// Ctrl-C with the cursor on the first row of a wrapped line: the next prompt starts below the whole
    /// line, on a clean row, and the next line is read on its own.
    func testCtrlCClearsAWrappedLine() throws {
        let report = try screen(columns: 40, [
            .type(Self.question), .keys(["home"]), .keys(["ctrl-c"]), .snapshot("cleared"),
            .type("怎么开户"), .snapshot("next"),
        ])
        guard let cleared = report.snapshots["cleared"] else { return XCTFail("no snapshot") }
        let lineRows = ScreenTests.rows(Transcript.customerPrefix + Self.question, columns: 40)
        guard let first = cleared.rows.firstIndex(where: { $0.hasPrefix("you> 我想问") }) else {
            return XCTFail("the interrupted line stays on the screen, as typed:\n\(cleared.text)")
        }
        guard first + lineRows.count < cleared.rows.count else { return XCTFail("the screen ran out:\n\(cleared.text)") }
        XCTAssertEqual(Array(cleared.rows[first..<(first + lineRows.count)]), lineRows, cleared.text)
        XCTAssertEqual(cleared.rows[first + lineRows.count], "you>", "a new, empty prompt below the whole line:\n\(cleared.text)")
        XCTAssertEqual([cleared.x, cleared.y], [5, first + lineRows.count])
        assertShows(report.snapshots["next"], buffer: "怎么开户", cursor: 4, columns: 40, "typed after Ctrl-C")
    }

    // MARK: - Replies

    /// Replies are wrapped by display width: continuation rows start under the reply text (6 columns in),
    /// no English word, number or product name is cut, and the words are those of the unwrapped reply.
    func testRepliesAreWrappedToTheTerminalUnderTheReplyText() throws {
        let questions = ["提现多久能到账", "what is the minimum to invest in a fund, and how are fees charged?", "怎么开户"]
        for columns in [40, 60] {
            var steps: [Step] = []
            for (index, question) in questions.enumerated() {
                steps += [.type(question + "\r"), .reply, .snapshot("\(index)"), .keys(["ctrl-l"])]
            }
            let report = try screen(columns: columns, rows: 40, steps)
            let piped = try ProcessRunner.run(Fixtures.kefuExecutable, ["--no-store"], input: Data(questions.joined(separator: "\n").utf8),
                                              environment: ["HOME": scratch.path, "XDG_STATE_HOME": scratch.path], directory: Fixtures.packageRoot)
            // Piped output is never wrapped: one reply, one line.
            let replies = piped.stdout.split(separator: "\n").map(String.init)
            XCTAssertEqual(replies.count, questions.count, piped.stdout)
            let productNames = KnowledgeLoader().load(from: Fixtures.knowledgeURL).knowledge.products.products.flatMap { [$0.name.zh, $0.name.en] }
            for (index, reply) in replies.enumerated() where index < questions.count {
                guard let snapshot = report.snapshots["\(index)"],
                      let start = snapshot.rows.lastIndex(where: { $0.hasPrefix(Transcript.kefuPrefix) }),
                      let end = snapshot.rows.lastIndex(where: { $0.hasPrefix("you>") }), start < end else {
                    XCTFail("\(columns) columns, \(questions[index]): no reply on screen"); continue
                }
                let rows = Array(snapshot.rows[start..<end])
                XCTAssertGreaterThan(rows.count, 1, "\(columns) columns: a long reply takes several rows")
                for row in rows.dropFirst() {
                    // A row the terminal had to wrap would start at column 0.
                    XCTAssertTrue(row.hasPrefix(Transcript.continuationIndent) && row.dropFirst(6).first != " ",
                                  "\(columns) columns: a continuation row starts under the reply text: “\(row)”")
                }
                let texts = [String(rows[0].dropFirst(Transcript.kefuPrefix.count))] + rows.dropFirst().map { String($0.dropFirst(6)) }
                for (above, below) in zip(texts, texts.dropFirst()) {
                    guard let last = above.last, let first = below.first else { continue }
                    if last.isASCII && first.isASCII && !last.isWhitespace && !first.isWhitespace {
                        // Two pieces of English or figures meet at the break: the reply had a space there.
                        let before = above.split(separator: " ").last.map(String.init) ?? ""
                        let after = below.split(separator: " ").first.map(String.init) ?? ""
                        XCTAssertTrue(reply.contains(before + " " + after),
                                      "\(columns) columns: a word or number is cut: “\(above)” / “\(below)”")
                    }
                    XCTAssertFalse("，。、；：！？）」".contains(first), "\(columns) columns: a row starts with closing punctuation: “\(below)”")
                }
                // Nothing is lost or added: without the spaces at the breaks, the rows read as the reply.
                XCTAssertEqual(texts.joined().filter { $0 != " " }, reply.filter { $0 != " " },
                               "\(columns) columns: the wrapped reply reads as the reply")
                for name in productNames where reply.contains(name) {
                    XCTAssertTrue(texts.contains { $0.contains(name) }, "\(columns) columns: “\(name)” is not broken across rows")
                }
            }
        }
    }

    // MARK: - Resize

    /// The window narrows while a wrapped line is being typed: the line is redrawn at the new width, typing
    /// and editing go on correctly, and the reply is wrapped at the new width.
    func testAResizeMidLineRedrawsTheLineAtTheNewWidth() throws {
        let start = "我想问一下我昨天晚上从零钱通提现了两万块钱到招商银行卡为什么"
        let report = try screen(columns: 60, rows: 24, [
            .type(start), .resize(columns: 40, rows: 24), .snapshot("resized"),
            .type("到现在还没到账"), .snapshot("typed"),
            .keys(["home"]), .type("AB"), .snapshot("edited"),
            .keys(["end"]), .type("\r"), .reply, .snapshot("answered"),
        ])
        let n = start.unicodeScalars.count
        assertShows(report.snapshots["resized"], buffer: start, cursor: n, columns: 40, "after the resize")
        assertShows(report.snapshots["typed"], buffer: start + "到现在还没到账", cursor: n + 7, columns: 40, "typed after the resize")
        assertShows(report.snapshots["edited"], buffer: "AB" + start + "到现在还没到账", cursor: 2, columns: 40, "edited after the resize")
        guard let answered = report.snapshots["answered"],
              let reply = answered.rows.lastIndex(where: { $0.hasPrefix(Transcript.kefuPrefix) }),
              let prompt = answered.rows.lastIndex(where: { $0.hasPrefix("you>") }), reply + 1 < prompt else {
            return XCTFail("no reply of several rows:\n\(report.snapshots["answered"]?.text ?? "")")
        }
        for row in answered.rows[(reply + 1)..<prompt] {
            XCTAssertTrue(row.hasPrefix(Transcript.continuationIndent), "the reply is wrapped at 40: “\(row)”\n\(answered.text)")
        }

        // Wider, with the cursor on another row at each width: the line is drawn again below the old one (a terminal
        // that re-flows rows and one that does not disagree about where the old line starts), and editing goes on.
        let widened = try screen(columns: 40, rows: 24, [
            .type(Self.question), .resize(columns: 60, rows: 24), .snapshot("widened"),
            .keys(["home"]), .type("AB"), .snapshot("edited"),
        ])
        let length = Self.question.unicodeScalars.count
        assertShows(widened.snapshots["widened"], buffer: Self.question, cursor: length, columns: 60, "after widening")
        assertShows(widened.snapshots["edited"], buffer: "AB" + Self.question, cursor: 2, columns: 60, "edited after widening")
    }

    // MARK: - History search

    /// Ctrl-R shows a prompt in the conversation's language with the pattern and the line found; Ctrl-R
    /// again finds the next older match; Backspace undoes a key; Esc and Ctrl-G give the typed line back;
    /// Enter runs the line found; an arrow keeps the line for editing.
    func testHistorySearchSpeaksTheConversationsLanguage() throws {
        let report = try screen(columns: 60, [
            .type("提现多久能到账\r"), .reply, .type("提现手续费多少\r"), .reply, .type("怎么开户\r"), .reply,
            .type("我的"), .keys(["ctrl-r"]), .snapshot("empty"),
            .type("提现"), .snapshot("found"),
            .keys(["ctrl-r"]), .snapshot("older"),
            .type("x"), .snapshot("missing"),
            .keys(["backspace"]), .snapshot("undone"),
            .keys(["esc"]), .snapshot("cancelled"),
            .keys(["ctrl-r"]), .type("开户"), .keys(["ctrl-g"]), .snapshot("cancelled-g"),
            .keys(["ctrl-u", "ctrl-r"]), .type("手续"), .keys(["right"]), .snapshot("kept"),
            .keys(["ctrl-u", "ctrl-r"]), .type("开户"), .keys(["enter"]), .reply, .snapshot("ran"),
        ])
        func last(_ name: String) -> String { report.snapshots[name]?.rows.last(where: { !$0.isEmpty }) ?? "" }
        XCTAssertEqual(last("empty"), "(搜索历史)「」：我的")
        XCTAssertEqual(last("found"), "(搜索历史)「提现」：提现手续费多少")
        XCTAssertEqual(report.snapshots["found"]?.x, DisplayWidth.of("(搜索历史)「提现」："), "the cursor is on the match")
        XCTAssertEqual(last("older"), "(搜索历史)「提现」：提现多久能到账")
        XCTAssertEqual(last("missing"), "(搜索历史·没有找到)「提现x」：提现多久能到账")
        XCTAssertEqual(last("undone"), "(搜索历史)「提现」：提现多久能到账")
        assertShows(report.snapshots["cancelled"], buffer: "我的", cursor: 2, columns: 60, "Esc gives the typed line back")
        assertShows(report.snapshots["cancelled-g"], buffer: "我的", cursor: 2, columns: 60, "Ctrl-G gives the typed line back")
        assertShows(report.snapshots["kept"], buffer: "提现手续费多少", cursor: 3, columns: 60, "an arrow keeps the line found (the cursor on the match), then moves")
        let ran = report.snapshots["ran"]?.rows ?? []
        let runRow = ran.lastIndex(of: "you> 怎么开户")
        XCTAssertNotNil(runRow, "Enter ran the line found")
        if let runRow { XCTAssertTrue(ran[(runRow + 1)...].contains { $0.hasPrefix("kefu> ") }, "and it was answered") }

        let english = try screen(columns: 60, [
            .type("how long does a withdrawal take\r"), .reply, .keys(["ctrl-r"]), .type("WITHDRAW"), .snapshot("found"),
        ])
        XCTAssertEqual(english.snapshots["found"]?.rows.last(where: { !$0.isEmpty }),
                       "(history search) 'WITHDRAW': how long does a withdrawal take", "English, and case does not matter")
    }

    // MARK: - Leaving

    /// Ctrl-D after a reply, and SIGTERM while a wrapped line is being edited, leave the terminal as it was.
    func testTheTerminalIsRestoredAfterCtrlDAndSIGTERM() throws {
        let quit = try screen(columns: 40, [.type("提现多久能到账\r"), .reply, .stty("during"), .keys(["ctrl-d"]), .exit, .stty("after")])
        XCTAssertEqual(quit.status, 0, quit.output)
        XCTAssertNotEqual(quit.stty["start"], quit.stty["during"], "libedit had the terminal in raw mode")
        XCTAssertEqual(quit.stty["start"], quit.stty["after"], "Ctrl-D restores the terminal")

        let term = try screen(columns: 40, [.type(Self.question), .keys(["home"]), .stty("during"), .signal("TERM"), .exit, .stty("after")])
        XCTAssertEqual(term.status, 0, term.output)
        XCTAssertNotEqual(term.stty["start"], term.stty["during"])
        XCTAssertEqual(term.stty["start"], term.stty["after"], "SIGTERM restores the terminal")
    }
}
