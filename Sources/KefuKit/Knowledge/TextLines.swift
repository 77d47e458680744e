extension StringProtocol {
    /// Physical lines of a text file, accepting LF, CRLF and CR endings. (Swift treats "\r\n" as one
    /// Character, so splitting on "\n" alone would miss Windows line endings.)
    ///
    /// Split by bytes: "\r" and "\n" are always clusters of their own (or "\r\n" together), so this is
    /// the Character split, without working out grapheme clusters over every knowledge file (a tenth of
    /// start-up).
    public func physicalLines() -> [Substring] {
        let text = String(self)
        var lines: [Substring] = []
        let utf8 = text.utf8
        var lineStart = utf8.startIndex
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            guard byte == 0x0A || byte == 0x0D else {
                utf8.formIndex(after: &index)
                continue
            }
            lines.append(text[lineStart..<index])
            utf8.formIndex(after: &index)
            if byte == 0x0D, index != utf8.endIndex, utf8[index] == 0x0A { utf8.formIndex(after: &index) }
            lineStart = index
        }
        lines.append(text[lineStart..<utf8.endIndex])
        return lines
    }
}
