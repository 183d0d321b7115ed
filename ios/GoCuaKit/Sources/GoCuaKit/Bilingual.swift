// A text in both of the app's languages, as the core writes most of what the volunteer reads
// (messages, titles, reasons): `messageVi` / `messageEn`, `titleVi` / `titleEn`, …

/// One text in Vietnamese and English; `pick(_:)` chooses the volunteer's language.
public struct Bilingual: Hashable, Sendable {
    public let vi: String
    public let en: String

    public init(vi: String, en: String) {
        self.vi = vi
        self.en = en
    }

    public func pick(_ lang: Lang) -> String {
        switch lang {
        case .vi:
            return vi
        case .en:
            return en
        }
    }
}
