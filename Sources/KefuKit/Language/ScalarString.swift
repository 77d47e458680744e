extension String {
    /// The string of these scalars, built from their UTF-8 in one go. `String(String.UnicodeScalarView(scalars))`
    /// appended them one at a time through unspecialised generic code, and the folded copies of every
    /// customer line made that a tenth of profile extraction.
    init<Scalars: Collection>(scalars: Scalars) where Scalars.Element == Unicode.Scalar {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count * 3)
        for scalar in scalars { bytes.append(contentsOf: scalar.utf8) }
        self = String(decoding: bytes, as: UTF8.self)
    }
}
