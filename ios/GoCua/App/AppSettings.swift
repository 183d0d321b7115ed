// What the volunteer chooses in Settings, kept in UserDefaults: sync on wifi only (the default:
// data costs money) and the language of the app (Vietnamese by default).

import GoCuaKit
import SwiftUI

final class AppSettings: ObservableObject {
    static let wifiOnlyKey = "gocua.settings.wifiOnly"
    static let englishKey = "gocua.settings.english"

    private let defaults: UserDefaults

    @Published var wifiOnly: Bool {
        didSet { defaults.set(wifiOnly, forKey: Self.wifiOnlyKey) }
    }

    @Published var english: Bool {
        didSet { defaults.set(english, forKey: Self.englishKey) }
    }

    init(defaults: UserDefaults = .standard) {
        self.defaults = defaults
        defaults.register(defaults: [Self.wifiOnlyKey: true, Self.englishKey: false])
        wifiOnly = defaults.bool(forKey: Self.wifiOnlyKey)
        english = defaults.bool(forKey: Self.englishKey)
    }

    /// The language for the core's labels, messages and formats, and for the app's own chrome.
    var lang: Lang {
        english ? .en : .vi
    }
}
