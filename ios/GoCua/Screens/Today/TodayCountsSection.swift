// The volunteer's own counts for today and this week (Monday to today), as the core tallies them.

import GoCuaKit
import SwiftUI

struct TodayCountsSection: View {
    @Environment(\.chrome) private var tr
    let counts: CountsView

    var body: some View {
        Section(tr("Hôm nay / tuần này")) {
            row(tr("Lượt đến hộ"), counts.today.visits, counts.thisWeek.visits, "today.count.visits")
            row(tr("Hộ được đến"), counts.today.householdsVisited, counts.thisWeek.householdsVisited, "today.count.households")
            row(tr("Người được tuyên truyền"), counts.today.peopleReached, counts.thisWeek.peopleReached, "today.count.people")
            row(tr("Dịch vụ đã hỗ trợ"), counts.today.servicesSupported, counts.thisWeek.servicesSupported, "today.count.services")
            row(tr("Tài khoản VNeID kích hoạt"), counts.today.vneidActivations, counts.thisWeek.vneidActivations, "today.count.vneid")
            row(tr("Buổi tuyên truyền"), counts.today.sessions, counts.thisWeek.sessions, "today.count.sessions")
        }
    }

    private func row(_ label: String, _ today: UInt64, _ week: UInt64, _ identifier: String) -> some View {
        StatRow(label: label, value: tr("%@ / %@", Formats.count(today, tr.lang), Formats.count(week, tr.lang)))
            .accessibilityLabel(tr("%@: hôm nay %@, tuần này %@", label, Formats.count(today, tr.lang), Formats.count(week, tr.lang)))
            .accessibilityIdentifier(identifier)
    }
}
