// Text as the volunteer typed it, handed to the core: tidied by the core's own `tidyText` (NFC,
// spaces collapsed, trimmed); an optional field left blank is nil. Number fields keep digits only;
// what range is acceptable is the core's to say.

import GoCuaKit

enum TypedText {
    /// nil when the tidied text is empty.
    static func optional(_ text: String) -> String? {
        let tidy = tidyText(text: text)
        return tidy.isEmpty ? nil : tidy
    }

    static func required(_ text: String) -> String {
        tidyText(text: text)
    }

    /// Keeps the digits of what was typed or pasted, at most `limit` of them.
    static func digits(_ text: String, limit: Int = 6) -> String {
        String(text.filter(\.isASCII).filter(\.isNumber).prefix(limit))
    }

    /// The number in a digits-only field; nil when it is empty.
    static func number(_ digits: String) -> Int? {
        Int(digits)
    }
}
