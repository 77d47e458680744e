import Foundation
import KefuStore
import KefuTerminal

/// Opens the conversation database on another thread while the knowledge loads: opening mostly waits
/// on the disk (the file is written and synced) and needs nothing from the knowledge, so start-up
/// no longer pays for both one after the other. A warning is printed when the result is taken, where
/// opening used to print it.
final class StoreOpening: @unchecked Sendable {
    private let options: StoreOptions
    private let noColor: Bool
    private let finished = DispatchSemaphore(value: 0)
    // Written by the opening thread before `finished` is signalled, read only after waiting for it.
    private var observer: StoreObserver?
    private var problem: String?

    init(_ options: StoreOptions, noColor: Bool) {
        self.options = options
        self.noColor = noColor
        Thread.detachNewThread { self.open() }
    }

    private func open() {
        observer = options.observer(noColor: noColor, openingProblem: { self.problem = $0 })
        finished.signal()
    }

    /// The observer (nil when the database could not be opened, after saying so).
    func wait() -> StoreObserver? {
        finished.wait()
        if let problem { Console.err(problem) }
        return observer
    }

    /// Waits for the opening without using it (the command is failing).
    func finish() { finished.wait() }
}
