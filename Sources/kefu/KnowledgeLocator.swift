import ArgumentParser
import Foundation
import KefuKit
import KefuTerminal

/// Finds the knowledge folder when none is given (`KnowledgeLocation`), and says where it looked when it cannot.
enum KnowledgeLocator {
    struct NotFound: Error, CustomStringConvertible {
        var looked: [String]
        var description: String {
            "kefu: cannot find the knowledge folder. Looked in:\n" + looked.map { "  \($0)" }.joined(separator: "\n")
                + "\nUse --knowledge DIR to say where it is."
        }
    }

    static func locate(explicit: String?) throws -> URL {
        switch KnowledgeLocation.find(explicit: explicit) {
        case .found(let url):
            return url
        case .notFound(let looked):
            Console.err(NotFound(looked: looked).description)
            throw ExitCode(1)
        }
    }
}
