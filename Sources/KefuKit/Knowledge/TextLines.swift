extension StringProtocol {
    /// Physical lines of a text file, accepting LF, CRLF and CR endings. (Swift treats "\r\n" as one
    /// Character, so splitting on "\n" alone would miss Windows line endings.)
    public func physicalLines() -> [Substring] {
        String(self).split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
    }
}
