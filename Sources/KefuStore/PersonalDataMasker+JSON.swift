import Foundation
import KefuKit

extension PersonalDataMasker {
    /// A JSON document with every string in it masked (keys stay as they are: they are the program's names, not what
    /// a customer typed). A served conversation's dialogue state holds the customer's recent lines and the handoff
    /// summary, and must reach storage masked like the turns themselves. Text that is not JSON is masked whole:
    /// nothing is ever written unmasked.
    public func maskStrings(inJSON json: String) -> String {
        guard containsPersonalData(json) else { return json }
        guard let data = json.data(using: .utf8),
              let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
              let masked = try? JSONSerialization.data(withJSONObject: maskStrings(in: value), options: [.fragmentsAllowed, .sortedKeys])
        else { return mask(json) }
        return String(decoding: masked, as: UTF8.self)
    }

    private func maskStrings(in value: Any) -> Any {
        switch value {
        case let text as String: return mask(text)
        case let array as [Any]: return array.map { maskStrings(in: $0) }
        case let object as [String: Any]: return object.mapValues { maskStrings(in: $0) }
        default: return value
        }
    }
}
