/// A classifier whose labels and examples live in `knowledge/`, trained with the same matcher as the FAQ.
///
/// Phrase lists in Swift decide only what their authors wrote: "I can't pay any of it back, I just want it
/// all to end" holds none of the distress keywords, and was "not understood". A reader trained on a few
/// hundred labelled lines generalises to the ones nobody wrote, and trainers extend it by adding a line to a
/// text file. Every reader has a background label (`ExampleReader.background`) trained on lines that are
/// none of its labels, so "how long does a withdrawal take" has somewhere to go other than the nearest alarm.
public struct ExampleReader: Sendable {
    /// One labelled line, with where it came from for diagnostics.
    public struct Example: Sendable, Equatable {
        public var label: String
        public var text: String
        public var file: String
        public var line: Int

        public init(label: String, text: String, file: String = "", line: Int = 0) {
            self.label = label
            self.text = text
            self.file = file
            self.line = line
        }
    }

    /// A label and how sure the reader is of it (0…1), best first.
    public struct Candidate: Sendable, Equatable {
        public var label: String
        public var score: Double
    }

    /// The label of the lines that are none of the reader's labels.
    public static let background = "none"

    /// The labels in matcher order; the background label is one of them when it has examples.
    public let labels: [String]
    public let examples: [Example]
    let matcher: Matcher

    /// The matcher's settings for readers: the linear model even with a handful of labels (the FAQ matcher
    /// keeps similarity scores below 40 entries, but a reader's labels each have dozens to hundreds of examples).
    public static var defaultConfiguration: Matcher.Configuration {
        // Measured on corpora/safety/dev: the similarity scale read 74/170 crisis lines at its best threshold,
        // the linear model 163/170 with fewer false alarms. Class balancing (1.0) gained 2 crisis lines for 3 times
        // the false alarms, so examples are weighed alike.
        var configuration = Matcher.Configuration()
        configuration.minLinearEntries = 2
        return configuration
    }

    /// Whether numbers are read as one placeholder (`NumberParser.placeholdingAmounts`), in training and in every line read.
    public let numbersAsPlaceholder: Bool

    public init(examples: [Example], extractor: FeatureExtractor, configuration: Matcher.Configuration = ExampleReader.defaultConfiguration,
                numbersAsPlaceholder: Bool = false) {
        self.numbersAsPlaceholder = numbersAsPlaceholder
        var labels: [String] = []
        var index: [String: Int] = [:]
        var training: [(entry: Int, text: String)] = []
        for example in examples {
            let position: Int
            if let known = index[example.label] {
                position = known
            } else {
                position = labels.count
                index[example.label] = position
                labels.append(example.label)
            }
            training.append((position, example.text))
        }
        self.labels = labels
        self.examples = examples
        // A curly apostrophe is the straight one ("I can’t afford any loss" read 0.56 against 0.83 for "can't"): phones
        // type the curly one.
        let prepare: @Sendable (String) -> String = numbersAsPlaceholder
            ? { @Sendable text in NumberParser.placeholdingAmounts(text.replacingAll("’", with: "'")) }
            : { @Sendable text in text.replacingAll("’", with: "'") }
        self.matcher = Matcher(entryCount: labels.count, examples: training, extractor: extractor, configuration: configuration,
                               prepare: prepare)
    }

    public var isEmpty: Bool { labels.isEmpty }

    /// The line prepared for this reader's matcher.
    func query(_ text: String) -> Matcher.Query { matcher.query(text) }

    /// The labels that came close, best first (the background label included).
    public func read(_ text: String) -> [Candidate] {
        guard !labels.isEmpty else { return [] }
        return matcher.match(text).candidates.map { Candidate(label: labels[$0.entryIndex], score: $0.score) }
    }

    /// `read` of a line prepared by a matcher with the same feature extractor (and, when numbers are
    /// placeholders, from the placeholding text).
    func read(_ query: Matcher.Query) -> [Candidate] {
        guard !labels.isEmpty else { return [] }
        return matcher.match(query).candidates.map { Candidate(label: labels[$0.entryIndex], score: $0.score) }
    }

    /// Blocks until the model is trained.
    public func waitUntilReady() { matcher.waitUntilReady() }
}
