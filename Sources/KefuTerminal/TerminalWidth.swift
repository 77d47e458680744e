import Foundation
import KefuKit

/// The width of the terminal that replies are printed on, asked of the terminal itself just before each
/// reply: after a resize (SIGWINCH) the next reply already fits the new width, and no signal handler of our
/// own competes with libedit's, which takes SIGWINCH while a line is read.
public enum TerminalWidth {
    /// Columns of the terminal on `fileDescriptor`, or nil when it is not a terminal (a pipe, a file):
    /// output that is not on a screen is never wrapped.
    public static func columns(of fileDescriptor: Int32 = 1) -> Int? {
        guard isatty(fileDescriptor) == 1 else { return nil }
        var size = winsize()
        guard ioctl(fileDescriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// `wrapper` fitted to the terminal for text printed after a label as wide as `indent`, or nil when nothing
    /// should be wrapped. The wrapper's protected phrases are prepared once by the caller; only the width changes.
    public static func fitting(_ wrapper: ReplyWrapper, indent: Int, fileDescriptor: Int32 = 1) -> ReplyWrapper? {
        guard let columns = columns(of: fileDescriptor) else { return nil }
        var fitted = wrapper
        fitted.columns = columns - indent
        return fitted
    }
}
