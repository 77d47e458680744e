/// One labelled customer phrasing: what was typed and which category (FAQ entry) it belongs to.
public struct LabelledText: Sendable, Equatable {
    public var text: String
    public var category: String
    /// The line the row starts on in its file (0 when it did not come from a file).
    public var line: Int

    public init(text: String, category: String, line: Int = 0) {
        self.text = text
        self.category = category
        self.line = line
    }
}

/// Reads labelled phrasings: a CSV with a header naming `text` and `category` columns (in any order,
/// other columns ignored), or Kefu's phrasing table (`entry-id<TAB>lang<TAB>phrasing`, `#` comments).
public enum LabelledData {
    public struct Result: Sendable {
        public var rows: [LabelledText]
        /// Rows that could not be used, each with its line; reading goes on past them.
        public var problems: [CSVReader.Problem]
    }

    /// Picks the format from the content: a first line with tabs and no `text`/`category` header is a phrasing table.
    public static func parse(_ text: String) -> Result {
        let firstLine = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).first { line in
            let trimmed = line.trimmingWhitespace()
            return !trimmed.isEmpty && !trimmed.hasPrefix("#")
        }
        if text.hasPrefix("#") || (firstLine?.contains("\t") ?? false) { return parsePhrasingTable(text) }
        return parseCSV(text)
    }

    public static func parseCSV(_ text: String) -> Result {
        let table = CSVReader().read(text)
        var problems = table.problems
        guard let header = table.records.first else {
            return Result(rows: [], problems: problems + [.init(line: 1, message: "empty file: expected a header line 'text,category'")])
        }
        let names = header.fields.map { $0.trimmingWhitespace().lowercased() }
        guard let textColumn = names.firstIndex(of: "text"),
              let categoryColumn = names.firstIndex(where: { $0 == "category" || $0 == "label" || $0 == "intent" }) else {
            return Result(rows: [], problems: problems + [.init(line: header.line, message: "the header must name a 'text' and a 'category' column, found '\(header.fields.joined(separator: ","))'")])
        }
        var rows: [LabelledText] = []
        rows.reserveCapacity(table.records.count)
        for record in table.records.dropFirst() {
            guard record.fields.count == names.count else {
                problems.append(.init(line: record.line, message: "expected \(names.count) fields, found \(record.fields.count)"))
                continue
            }
            let text = record.fields[textColumn].trimmingWhitespace()
            let category = record.fields[categoryColumn].trimmingWhitespace()
            if text.isEmpty {
                problems.append(.init(line: record.line, message: "empty text"))
            } else if category.isEmpty {
                problems.append(.init(line: record.line, message: "empty category"))
            } else {
                rows.append(LabelledText(text: text, category: category, line: record.line))
            }
        }
        problems.sort { $0.line < $1.line }
        return Result(rows: rows, problems: problems)
    }

    /// `entry-id<TAB>language<TAB>phrasing`; the language column is optional (two columns: id and phrasing).
    public static func parsePhrasingTable(_ text: String) -> Result {
        var rows: [LabelledText] = []
        var problems: [CSVReader.Problem] = []
        var lineNumber = 0
        for raw in text.physicalLines() {
            lineNumber += 1
            var line = Substring(raw)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
            let id: String, phrasing: String
            switch columns.count {
            case 2: (id, phrasing) = (columns[0], columns[1])
            case 3: (id, phrasing) = (columns[0], columns[2])
            default:
                problems.append(.init(line: lineNumber, message: "expected 'entry-id<TAB>lang<TAB>phrasing', found \(columns.count) column(s)"))
                continue
            }
            if id.isEmpty || phrasing.isEmpty {
                problems.append(.init(line: lineNumber, message: "empty entry id or phrasing"))
                continue
            }
            rows.append(LabelledText(text: phrasing, category: id, line: lineNumber))
        }
        return Result(rows: rows, problems: problems)
    }

    /// The first `n` rows of each category, in file order (the few-shot protocol).
    public static func firstShots(_ rows: [LabelledText], perCategory n: Int) -> [LabelledText] {
        var seen: [String: Int] = [:]
        return rows.filter { row in
            let k = seen[row.category, default: 0]
            seen[row.category] = k + 1
            return k < n
        }
    }

    /// A balanced split like a test set with the same number of rows per category: `n` rows of each category
    /// (at most a quarter of it), evenly spaced in file order, are held out.
    public static func holdOutBalanced(_ rows: [LabelledText], perCategory n: Int) -> (train: [LabelledText], heldOut: [LabelledText]) {
        var total: [String: Int] = [:]
        for row in rows { total[row.category, default: 0] += 1 }
        var seen: [String: Int] = [:]
        var train: [LabelledText] = [], heldOut: [LabelledText] = []
        for row in rows {
            let index = seen[row.category, default: 0]
            seen[row.category] = index + 1
            let m = total[row.category]!, k = min(n, m / 4)
            // Held out: positions floor((j + 0.5) * m / k) for j in 0..<k.
            let held = k > 0 && (0..<k).contains { Int((Double($0) + 0.5) * Double(m) / Double(k)) == index }
            if held { heldOut.append(row) } else { train.append(row) }
        }
        return (train, heldOut)
    }

    /// A deterministic split for tuning without touching a test set: within each category, every
    /// `k`-th row (the k-th, 2k-th, …, in file order) is held out.
    public static func holdOut(_ rows: [LabelledText], every k: Int) -> (train: [LabelledText], heldOut: [LabelledText]) {
        var seen: [String: Int] = [:]
        var train: [LabelledText] = [], heldOut: [LabelledText] = []
        for row in rows {
            let index = seen[row.category, default: 0] + 1
            seen[row.category] = index
            if k > 1 && index % k == 0 { heldOut.append(row) } else { train.append(row) }
        }
        return (train, heldOut)
    }

    /// `count` categories, evenly spaced over the sorted category names, to leave out of training: their test rows
    /// become out-of-scope queries (`kefu eval --unseen`), as real customers ask things no entry covers.
    public static func unseenCategories(_ rows: [LabelledText], count: Int) -> Set<String> {
        let names = Set(rows.map(\.category)).sorted()
        guard count > 0, !names.isEmpty else { return [] }
        let k = min(count, names.count - 1)
        return Set((0..<k).map { names[Int((Double($0) + 0.5) * Double(names.count) / Double(k))] })
    }
}
