// The enrolled profile as the screens use it: the FieldProfile, who the volunteer is, and "sync
// soon" after something was recorded (the core's policy still decides whether now is the time).

import GoCuaKit
import SwiftUI

final class ProfileSession: ObservableObject {
    let profile: FieldProfile
    let me: ProfileView
    private unowned let app: AppModel

    init(profile: FieldProfile, me: ProfileView, app: AppModel) {
        self.profile = profile
        self.me = me
        self.app = app
    }

    /// After a record was saved: a sync on the volunteer's settings, if the policy allows it now.
    func syncSoon() {
        let profile = self.profile
        let sync = app.sync
        Task {
            _ = await sync.run(profile, trigger: .appForeground)
        }
    }
}
