// "Come back on …": off by default; switched on, it starts from today as the core counts days
// (profile.today()), and the picker moves it. The core checks the day.

import GoCuaKit
import SwiftUI

struct FollowUpSection: View {
    @Environment(\.chrome) private var tr
    @ObservedObject var model: VisitModel

    var body: some View {
        Section(fieldLabel(field: "follow_up_on", lang: tr.lang)) {
            Toggle(tr("Hẹn quay lại"), isOn: Binding(get: { model.followUpOn != nil }, set: { model.setFollowUp($0) }))
                .disabled(model.today == nil)
                .accessibilityIdentifier("visit.followUp")
            if let day = model.followUpOn {
                CalendarDayPicker(
                    title: fieldLabel(field: "follow_up_on", lang: tr.lang),
                    day: Binding(get: { model.followUpOn ?? day }, set: { model.followUpOn = $0 }),
                    identifier: "visit.followUpDay"
                )
            }
            ProblemText(error: model.error, field: "follow_up_on")
        }
    }
}
