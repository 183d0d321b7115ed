// The volunteer's day, end to end, on the simulator against a real `gocua serve` — the journey of
// the Android tests: enrol from a gocua://enrol link → Today → a new household → a visit with two
// services (one submitted with a dossier code, one unfinished with a reason) → back → a second
// visit, nobody home → two outreach sessions → feedback → the queue shows the core's labels → sync
// → the household edited → its personal data erased.
//
// Needs TEST_RUNNER_GOCUA_SERVER_URL and TEST_RUNNER_GOCUA_CODE_UI (ios/scripts/test-server.sh).
// Elements are found by accessibility identifier; choices carry the core's code in theirs
// ("visit.outcome.met"), texts the volunteer reads are the core's labels.

import XCTest

final class JourneyUITests: XCTestCase {
    private var app: XCUIApplication!

    override func setUpWithError() throws {
        continueAfterFailure = false
        app = XCUIApplication()
        app.launchEnvironment["GOCUA_UI_TEST_RESET"] = "1"
    }

    func testAVolunteersDay() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let server = environment["GOCUA_SERVER_URL"], let code = environment["GOCUA_CODE_UI"] else {
            throw XCTSkip("no test server: run ios/scripts/test-server.sh and pass TEST_RUNNER_GOCUA_SERVER_URL / TEST_RUNNER_GOCUA_CODE_UI")
        }
        guard #available(iOS 16.4, *) else {
            throw XCTSkip("XCUIApplication.open(_:) needs iOS 16.4")
        }
        app.launch()

        // Enrol from a link: the server's host is shown before enrolling.
        XCTAssertTrue(app.buttons["enrol.scan"].waitForExistence(timeout: 20), "the enrolment screen")
        app.open(try XCTUnwrap(URL(string: "gocua://enrol?server=\(server)&code=\(code)")))
        let host = app.staticTexts["enrol.host"]
        XCTAssertTrue(host.waitForExistence(timeout: 10))
        XCTAssertEqual(host.label, server.replacingOccurrences(of: "http://", with: ""))
        app.buttons["enrol.confirm"].tap()

        // Today.
        XCTAssertTrue(app.buttons["today.newVisit"].waitForExistence(timeout: 30), "Today after enrolment")
        XCTAssertTrue(app.staticTexts["today.volunteer"].label.contains("Tình nguyện viên UI"))

        // A new household.
        app.buttons["today.newVisit"].tap()
        tap("households.create")
        tap("household.commune.28789")
        tap("household.hamlet.28789-KP1")
        type("Nguyen Van A", into: "household.headName")
        type("12 Nguyen Dinh Chieu", into: "household.address")
        type("4", into: "household.members")
        tap("household.save")
        XCTAssertTrue(app.staticTexts["detail.headName"].waitForExistence(timeout: 10), "the new household's page")
        XCTAssertEqual(app.staticTexts["detail.headName"].label, "Nguyen Van A")

        // A visit with two services: one submitted with its dossier code, one unfinished with its reason.
        tap("detail.newVisit")
        tap("visit.outcome.met")
        addService("Thủ tục đăng ký khai sinh")
        tap("visit.assist.0.result.submitted")
        type("G22.46.11-251123-0042", into: "visit.assist.0.dossierCode")
        addService("Đăng ký thường trú")
        tap("visit.assist.1.result.not_finished")
        tap("visit.assist.1.reason.no_chip_id_card")
        tap("visit.save")
        XCTAssertTrue(app.buttons["detail.newVisit"].waitForExistence(timeout: 10), "back on the household after saving")

        // Back again: nobody home this time.
        tap("detail.newVisit")
        tap("visit.outcome.not_home")
        XCTAssertFalse(anyElement("visit.peopleReached").exists, "nobody home reaches nobody (the core says so)")
        tap("visit.save")
        XCTAssertTrue(app.buttons["detail.newVisit"].waitForExistence(timeout: 10))
        XCTAssertEqual(app.buttons.matching(identifier: "visit.correct").count, 2, "two visits in the history")

        // Two outreach sessions.
        tab(0)
        tap("today.session")
        tap("session.kind.one_stop_shop")
        tap("session.area.28789")
        type("Bo phan mot cua phuong", into: "session.place")
        type("25", into: "session.attendees")
        tap("session.save")
        XCTAssertTrue(waitFor("session.saved"), "the session was saved")
        tap("session.another")
        tap("session.kind.door_to_door_day")
        type("Khu pho 1", into: "session.place")
        type("12", into: "session.attendees")
        tap("session.save")
        tap("session.done")

        // Feedback.
        tap("today.feedback")
        tap("feedback.category.portal_issues")
        type("Cong dich vu cong bao loi khi nop ho so", into: "feedback.text")
        tap("feedback.save")
        tap("feedback.done")

        // The queue shows each record by the core's label of its kind.
        tab(2)
        let kinds = app.staticTexts.matching(identifier: "queue.kind")
        XCTAssertTrue(kinds.firstMatch.waitForExistence(timeout: 10))
        let labels = kinds.allElementsBoundByIndex.map(\.label)
        for kind in ["Hộ gia đình", "Lượt đến hộ", "Buổi tuyên truyền", "Khó khăn, kiến nghị"] {
            XCTAssertTrue(labels.contains { $0.hasPrefix(kind) }, "\(kind) in \(labels)")
        }

        // Sync.
        tab(0)
        tap("today.sync")
        if app.buttons["today.sendNow"].waitForExistence(timeout: 3) {
            app.buttons["today.sendNow"].tap()
        }
        XCTAssertTrue(app.staticTexts["today.syncReport"].waitForExistence(timeout: 60), "a sync report")
        tab(2)
        XCTAssertTrue(app.staticTexts["queue.allSent"].waitForExistence(timeout: 10), "everything was sent")

        // The household edited.
        tab(1)
        let search = app.searchFields.firstMatch
        if search.waitForExistence(timeout: 5) {
            search.tap()
            search.typeText("nguyen van a")
        }
        let row = app.buttons.matching(identifier: "households.row").firstMatch
        XCTAssertTrue(row.waitForExistence(timeout: 10))
        row.tap()
        tap("detail.edit")
        type(", to 3", into: "household.address")
        tap("household.save")
        XCTAssertTrue(app.staticTexts["detail.address"].waitForExistence(timeout: 10))
        XCTAssertTrue(app.staticTexts["detail.address"].label.contains(", to 3"), app.staticTexts["detail.address"].label)

        // Its personal data erased, after the confirmation.
        tap("detail.erase")
        let confirm = app.buttons["detail.confirmErase"]
        if confirm.waitForExistence(timeout: 5) {
            confirm.tap()
        } else {
            app.sheets.buttons.element(boundBy: 0).tap()
        }
        XCTAssertTrue(app.staticTexts["detail.erased"].waitForExistence(timeout: 10), "the personal data were erased")
        XCTAssertFalse(app.staticTexts["detail.headName"].exists)
    }

    // MARK: - Helpers

    private func anyElement(_ identifier: String) -> XCUIElement {
        app.descendants(matching: .any).matching(identifier: identifier).firstMatch
    }

    private func waitFor(_ identifier: String, timeout: TimeInterval = 10) -> Bool {
        anyElement(identifier).waitForExistence(timeout: timeout)
    }

    /// The element with `identifier`, scrolled into view: forms load their rows lazily, so look
    /// further down first, then back up (a button above the rows just added, say).
    private func element(_ identifier: String) -> XCUIElement {
        let match = anyElement(identifier)
        if match.waitForExistence(timeout: 2) && match.isHittable {
            return match
        }
        for direction in [true, false] {
            for _ in 0..<8 {
                if match.exists && match.isHittable {
                    return match
                }
                if direction {
                    app.swipeUp()
                } else {
                    app.swipeDown()
                }
            }
        }
        XCTAssertTrue(match.exists && match.isHittable, "\(identifier) is on screen")
        return match
    }

    private func tap(_ identifier: String) {
        element(identifier).tap()
    }

    private func type(_ text: String, into identifier: String) {
        let field = element(identifier)
        field.tap()
        field.typeText(text)
    }

    private func addService(_ name: String) {
        tap("visit.addService")
        let item = app.buttons[name]
        XCTAssertTrue(item.waitForExistence(timeout: 5), "\(name) in the catalogue")
        item.tap()
    }

    private func tab(_ index: Int) {
        app.tabBars.buttons.element(boundBy: index).tap()
    }
}
