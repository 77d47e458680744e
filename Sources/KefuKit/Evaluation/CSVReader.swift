/// A strict RFC 4180 reader: comma-separated fields, fields in double quotes may hold commas, line
/// breaks and doubled quotes (`""`); records end with CRLF, LF or CR. A UTF-8 byte-order mark is skipped.
/// Malformed records are reported with the line they start on and reading goes on with the next record,
/// so one bad row never hides the rest of the file.
public struct CSVReader: Sendable {
    public struct Record: Sendable, Equatable {
        public var fields: [String]
        /// The physical line (1-based) on which the record starts.
        public var line: Int
        public init(fields: [String], line: Int) {
            self.fields = fields
            self.line = line
        }
    }

    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
        public var description: String { "line \(line): \(message)" }
    }

    public struct Result: Sendable {
        public var records: [Record]
        public var problems: [Problem]
    }

    public var separator: UInt8 = UInt8(ascii: ",")

    public init(separator: Unicode.Scalar = ",") {
        self.separator = UInt8(separator.value)
    }

    public func read(_ text: String) -> Result {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        return read(bytes: bytes)
    }

    public func read(bytes: [UInt8]) -> Result {
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var records: [Record] = []
        var problems: [Problem] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var i = 0
        let n = bytes.count
        var bad: String?
        var atRecordStart = true

        func finishField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }

        /// Consumes a line break at `i` (CRLF, LF or CR); returns false if there is none.
        func lineBreak() -> Bool {
            if bytes[i] == cr {
                i += (i + 1 < n && bytes[i + 1] == lf) ? 2 : 1
                line += 1
                return true
            }
            if bytes[i] == lf {
                i += 1
                line += 1
                return true
            }
            return false
        }

        func finishRecord() {
            if let message = bad {
                problems.append(Problem(line: recordLine, message: message))
            } else if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Record(fields: fields, line: recordLine))
            }
            fields.removeAll(keepingCapacity: true)
            bad = nil
            atRecordStart = true
        }

        while i < n {
            if atRecordStart {
                recordLine = line
                atRecordStart = false
            }
            // Start of a field.
            if bytes[i] == quote {
                i += 1
                let openedOn = line
                var closed = false
                while i < n {
                    let b = bytes[i]
                    if b == quote {
                        if i + 1 < n && bytes[i + 1] == quote {
                            field.append(quote)
                            i += 2
                        } else {
                            i += 1
                            closed = true
                            break
                        }
                    } else if b == cr || b == lf {
                        _ = lineBreak()
                        field.append(lf)
                    } else {
                        field.append(b)
                        i += 1
                    }
                }
                if !closed {
                    bad = bad ?? "quoted field opened on line \(openedOn) is never closed"
                    finishField()
                    finishRecord()
                    break
                }
                // After a closing quote: a separator, a line break or the end.
                if i < n && bytes[i] != separator && bytes[i] != cr && bytes[i] != lf {
                    bad = bad ?? "unexpected text after a closing quote (write a quote inside a quoted field as \"\")"
                    while i < n && bytes[i] != separator && bytes[i] != cr && bytes[i] != lf { i += 1 }
                }
            } else {
                while i < n {
                    let b = bytes[i]
                    if b == separator || b == cr || b == lf { break }
                    if b == quote {
                        bad = bad ?? "stray quote in an unquoted field (quote the whole field and double the quote)"
                    }
                    field.append(b)
                    i += 1
                }
            }
            finishField()
            if i >= n { break }
            if bytes[i] == separator {
                i += 1
                if i >= n { fields.append("") }
                continue
            }
            _ = lineBreak()
            finishRecord()
        }
        if !atRecordStart { finishRecord() }
        return Result(records: records, problems: problems)
    }

    /// Quotes a field when it needs it (separator, quote or line break inside, or surrounding spaces).
    public static func quote(_ field: String, separator: Character = ",") -> String {
        let needs = field.contains(separator) || field.contains("\"") || field.contains("\n") || field.contains("\r")
            || field.first == " " || field.last == " "
        guard needs else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
