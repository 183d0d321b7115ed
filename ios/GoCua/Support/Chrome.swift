// The app's own chrome — titles, buttons, short explanations — in the volunteer's language, from
// the String Catalog (Resources/Localizable.xcstrings, Vietnamese source, English translation).
// Everything else the volunteer reads comes from the core: vocabulary labels (`.label(lang:)`),
// messages, field labels (`fieldLabel`), days, instants and numbers (`formatDay`, `formatDayTime`,
// `formatAgo`, `formatCount`, `formatProgress`).
//
// The language is the app's own setting, not the phone's: the lookup goes to the catalog's
// compiled table of that language (vi.lproj / en.lproj). Keys are the Vietnamese text itself, so a
// missing table still shows Vietnamese. Numbers and names enter templates as `%@`, already
// formatted by the core.

import Foundation
import GoCuaKit
import SwiftUI

struct Chrome {
    let lang: Lang

    /// `tr("Lịch sử đến hộ (%@)", formatCount(n: 3, lang: tr.lang))`.
    func callAsFunction(_ key: String, _ arguments: String...) -> String {
        let template = Chrome.table(lang).localizedString(forKey: key, value: key, table: "Localizable")
        if arguments.isEmpty {
            return template
        }
        return String(format: template, arguments: arguments.map { $0 as CVarArg })
    }

    private static let vietnamese = bundle("vi")
    private static let english = bundle("en")

    private static func table(_ lang: Lang) -> Bundle {
        switch lang {
        case .vi:
            return vietnamese
        case .en:
            return english
        }
    }

    private static func bundle(_ language: String) -> Bundle {
        guard let path = Bundle.main.path(forResource: language, ofType: "lproj"),
              let bundle = Bundle(path: path)
        else {
            return .main
        }
        return bundle
    }
}

private struct ChromeKey: EnvironmentKey {
    static let defaultValue = Chrome(lang: .vi)
}

extension EnvironmentValues {
    var chrome: Chrome {
        get { self[ChromeKey.self] }
        set { self[ChromeKey.self] = newValue }
    }
}
