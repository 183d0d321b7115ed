// Today: what I did against the targets, what waits to be sent, and the sync button.

import GoCuaKit
import SwiftUI

struct TodayScreen: View {
    @Environment(\.chrome) private var tr
    @EnvironmentObject private var router: Router
    @EnvironmentObject private var sync: SyncCoordinator
    @ObservedObject private var session: ProfileSession
    @StateObject private var model: TodayModel

    init(session: ProfileSession) {
        self.session = session
        _model = StateObject(wrappedValue: TodayModel(profile: session.profile))
    }

    var body: some View {
        List {
            Section {
                Text(whoAmI)
                    .font(.headline)
                    .accessibilityIdentifier("today.volunteer")
                if let warning = model.clockWarning {
                    Label(Bilingual(vi: warning.messageVi, en: warning.messageEn).pick(tr.lang), systemImage: "clock.badge.exclamationmark")
                        .foregroundStyle(.orange)
                        .accessibilityIdentifier("today.clockWarning")
                }
                ErrorBanner(error: model.error)
            }
            actions
            if let counts = model.counts {
                TodayCountsSection(counts: counts)
            }
            TargetsSection(campaignName: model.counts?.campaignName, targets: model.targets)
            SyncSection(session: session, queue: model.queue)
        }
        .navigationTitle(tr("Hôm nay"))
        .refreshable { await model.load() }
        .onAppear { Task { await model.load() } }
        .onChange(of: sync.generation) { _ in
            Task { await model.load() }
        }
    }

    private var whoAmI: String {
        let me = session.me
        guard let team = me.teamName else {
            return me.volunteerName
        }
        return "\(me.volunteerName) · \(team)"
    }

    private var actions: some View {
        Section {
            Button {
                router.select(.households)
            } label: {
                Label(tr("Ghi lượt đến hộ"), systemImage: "plus.circle.fill")
                    .font(.headline)
                    .frame(maxWidth: .infinity, minHeight: 48, alignment: .leading)
            }
            .accessibilityHint(tr("Tìm hoặc thêm hộ, rồi ghi lượt đến"))
            .accessibilityIdentifier("today.newVisit")
            Button {
                router.push(.session)
            } label: {
                Label(tr("Buổi tuyên truyền"), systemImage: "person.3")
                    .frame(maxWidth: .infinity, minHeight: 44, alignment: .leading)
            }
            .accessibilityIdentifier("today.session")
            Button {
                router.push(.feedback(.general))
            } label: {
                Label(tr("Phản ánh, kiến nghị"), systemImage: "text.bubble")
                    .frame(maxWidth: .infinity, minHeight: 44, alignment: .leading)
            }
            .accessibilityIdentifier("today.feedback")
        }
    }
}
