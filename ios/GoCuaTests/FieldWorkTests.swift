// Field work through the same calls the screens make, against a real store enrolled on the test
// server: enrolment from a link, the core's problems by field name, records, the queue as the core
// describes it (labels, titles, service names), a sync with progress, an edit and an erasure.
// Every rule checked here is the core's; the Swift under test is the glue (UIError, syncReporting).

@testable import GoCua
import GoCuaKit
import XCTest

final class FieldWorkTests: XCTestCase {
    private let commune = "28789"
    private let hamlet = "28789-KP1"

    func testEnrolFromALinkThenAUsedCodeIsRefusedWithTheServersMessage() async throws {
        let server = try TestServer.require()
        let code = try server.code("ENROL")
        let first = TestStore.make()
        let second = TestStore.make()
        defer {
            first.remove()
            second.remove()
        }

        let link = try parseEnrolLink(payload: server.link(code))
        XCTAssertEqual(link.serverUrl, server.url)
        XCTAssertEqual(EnrolModel.host(of: link), server.url.replacingOccurrences(of: "http://", with: ""), "the host and port shown before enrolling")

        let profile = try first.open()
        let me = try await profile.enrol(serverUrl: link.serverUrl, code: link.code, deviceLabel: "XCTest", appVersion: "0.1.0-test")
        XCTAssertEqual(me.volunteerName, "Tình nguyện viên ENROL")
        XCTAssertEqual(me.teamName, "Đội TNTN Phường Bến Tre")
        XCTAssertTrue(try profile.isEnrolled())

        let other = try second.open()
        do {
            _ = try await other.enrol(serverUrl: link.serverUrl, code: link.code, deviceLabel: "XCTest", appVersion: "0.1.0-test")
            XCTFail("a used code enrolled a second phone")
        } catch let error as FieldKitError {
            guard case .ServerRefused = error else {
                return XCTFail("expected ServerRefused, got \(error)")
            }
            let shown = UIError(error)
            guard case let .core(message) = shown.message else {
                return XCTFail("the core's message is shown")
            }
            XCTAssertFalse(message.vi.isEmpty)
            XCTAssertFalse(message.en.isEmpty)
        }
    }

    func testAForeignQRCodeIsAProblemOnTheLinkField() {
        XCTAssertThrowsError(try parseEnrolLink(payload: "https://example.com/not-ours")) { error in
            XCTAssertNotNil(UIError(error).problem("enrol_link"), "\(error)")
        }
        XCTAssertThrowsError(try checkEnrolInput(serverUrl: "", code: "")) { error in
            XCTAssertNotNil(UIError(error).problem("server_url"), "\(error)")
        }
    }

    func testRecordQueueSyncEditErase() async throws {
        let server = try TestServer.require()
        let test = TestStore.make()
        defer { test.remove() }
        let profile = try await test.openEnrolled(on: server, code: "FIELDWORK")

        // The core's problems come back by field name, each with its label.
        XCTAssertThrowsError(try profile.createHousehold(draft: HouseholdDraft(communeCode: commune, addressLine: "", headName: "", members: 0))) { error in
            let shown = UIError(error)
            XCTAssertEqual(shown.code, "validation")
            XCTAssertNotNil(shown.problem("head_name"))
            XCTAssertNotNil(shown.problem("members"))
        }
        let household = try profile.createHousehold(draft: HouseholdDraft(
            communeCode: commune, addressLine: "12 Nguyễn Đình Chiểu", headName: "Nguyễn Văn Ả", members: 4, hamletCode: hamlet
        ))

        // Two services: a submitted dossier needs its code, an unfinished one its reason.
        let today = try profile.today()
        var draft = VisitDraft(
            householdId: household.id,
            outcome: .met,
            peopleReached: defaultPeopleReached(outcome: .met),
            followUpOn: today,
            assists: [
                AssistDraft(serviceKey: "birth_registration", result: .submitted),
                AssistDraft(serviceKey: "permanent_residence", result: .notFinished),
            ]
        )
        XCTAssertTrue(assistNeedsDossierCode(result: .submitted))
        XCTAssertTrue(assistNeedsReason(result: .notFinished))
        XCTAssertThrowsError(try profile.recordVisit(draft: draft)) { error in
            let shown = UIError(error)
            let dossier = shown.problem("assists[0].dossier_code")
            XCTAssertNotNil(dossier)
            XCTAssertEqual(dossier?.label(.vi), fieldLabel(field: "assists[0].dossier_code", lang: .vi))
            XCTAssertNotNil(shown.problem("assists[1].not_finished_reason"))
        }
        draft.assists[0].dossierCode = "G22.46.11-251123-0042"
        draft.assists[1].notFinishedReason = .noChipIdCard
        let visit = try profile.recordVisit(draft: draft)
        XCTAssertEqual(visit.assists.count, 2)
        XCTAssertEqual(visit.followUpOn, today)

        // Nobody home: nobody reached, as the core says.
        XCTAssertFalse(visitReachesPeople(outcome: .notHome))
        _ = try profile.recordVisit(draft: VisitDraft(
            householdId: household.id, outcome: .notHome, peopleReached: defaultPeopleReached(outcome: .notHome)
        ))
        let session = try profile.recordSession(draft: SessionDraft(
            kind: .oneStopShop, areaCode: commune, place: "Bộ phận một cửa", heldOn: today, attendees: 25
        ))
        _ = try profile.recordFeedback(draft: FeedbackDraft(
            source: .session(sessionId: session), category: .portalIssues, text: "Cổng dịch vụ công báo lỗi khi nộp hồ sơ.", areaCode: commune
        ))

        // The queue as the Queue screen shows it: labels, titles and service names from the core.
        let unsent = try profile.queueItems(filter: .unsent)
        XCTAssertEqual(unsent.count, 5)
        let kinds = Set(unsent.map { $0.kind.label(lang: .vi) })
        XCTAssertEqual(kinds, ["Hộ gia đình", "Lượt đến hộ", "Buổi tuyên truyền", "Khó khăn, kiến nghị"])
        let firstVisit = try XCTUnwrap(unsent.first { $0.recordId == visit.id })
        XCTAssertEqual(firstVisit.titleVi, "Nguyễn Văn Ả")
        XCTAssertEqual(firstVisit.services.map(\.nameVi), ["Thủ tục đăng ký khai sinh", "Đăng ký thường trú"])
        XCTAssertTrue(unsent.allSatisfy { $0.reason == nil })

        // The counts are the core's.
        let counts = try profile.myCounts()
        XCTAssertEqual(counts.today.visits, 2)
        XCTAssertEqual(counts.today.sessions, 1)

        // Sync with progress through the glue the app uses.
        let progress = ProgressLog()
        let report = try await profile.syncReporting { sent, total in progress.add(sent, total) }
        XCTAssertEqual(report.accepted, 5)
        XCTAssertEqual(report.rejected, 0)
        XCTAssertEqual(progress.all.first?.0, 0)
        XCTAssertEqual(progress.all.last.map { $0.0 == $0.1 }, true)
        XCTAssertTrue(try profile.queueItems(filter: .waiting).isEmpty)
        let status = try profile.queueStatus()
        XCTAssertNotNil(status.lastSync)

        // Edit, then erase on request: the personal data go, the counts stay.
        let edited = try profile.updateHousehold(id: household.id, draft: HouseholdDraft(
            communeCode: commune, addressLine: "14 Nguyễn Đình Chiểu", headName: household.headName, members: 5, hamletCode: hamlet
        ))
        XCTAssertEqual(edited.addressLine, "14 Nguyễn Đình Chiểu")
        try profile.eraseHouseholdPersonalData(id: household.id)
        let erased = try profile.household(id: household.id)
        XCTAssertTrue(erased.erased)
        XCTAssertTrue(erased.headName.isEmpty)
        XCTAssertEqual(try profile.myCounts().today.visits, 2)
        let second = try await profile.syncReporting { _, _ in }
        XCTAssertEqual(second.rejected, 0)
        profile.closeProfile()
    }

    func testACancelledSyncStopsWaitingAndLosesNothing() async throws {
        let server = try TestServer.require()
        let test = TestStore.make()
        defer { test.remove() }
        let profile = try await test.openEnrolled(on: server, code: "SYNC")
        for n in 1...3 {
            _ = try profile.createHousehold(draft: HouseholdDraft(
                communeCode: commune, addressLine: "\(n) Hùng Vương", headName: "Hộ thử \(n)", members: 3, hamletCode: hamlet
            ))
        }

        let first = Task { try await profile.syncReporting { _, _ in } }
        first.cancel()
        do {
            _ = try await first.value
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        // The core runs one sync at a time: this one waits for the first to wind down, then sends
        // whatever is still queued. Nothing is lost either way.
        _ = try await profile.syncReporting { _, _ in }
        XCTAssertEqual(try profile.unsentCount(), 0)
        XCTAssertTrue(try profile.queueItems(filter: .waiting).isEmpty)
        profile.closeProfile()
    }

    func testSyncPolicyIsTheCores() {
        let metered = NetworkFacts(connected: true, unmetered: false)
        let wait = decideSync(facts: metered, trigger: .appForeground, wifiOnly: true)
        XCTAssertFalse(wait.syncNow)
        XCTAssertNotNil(wait.messageVi)
        XCTAssertFalse(decideSync(facts: metered, trigger: .userForced, wifiOnly: true).syncNow, "send now alone respects wifi only")
        XCTAssertTrue(decideSync(facts: metered, trigger: .userForced, wifiOnly: true, mobileDataOnce: true).syncNow, "send now on mobile data")
        let offline = NetworkFacts(connected: false, unmetered: false)
        XCTAssertFalse(decideSync(facts: offline, trigger: .userForced, wifiOnly: false).syncNow)
    }
}
