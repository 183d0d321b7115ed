// The app's own glue, none of which decides anything: routes and the navigation state survive a
// relaunch (Codable), a kept draft finds its values again through the core's lists, a calendar day
// goes through the picker unchanged whatever the phone's zone, the chrome falls back to the
// Vietnamese key, digits-only fields.

@testable import GoCua
import GoCuaKit
import XCTest

final class GlueTests: XCTestCase {
    func testNavigationStateRoundTrips() throws {
        var state = NavigationState()
        state.tab = .households
        state.households = [
            .household(id: "h1"),
            .newVisit(householdId: "h1"),
            .feedback(.visit(id: "v1", areaCode: "28789-KP1")),
        ]
        state.today = [.session, .feedback(.general)]
        state.queue = [.correctVisit(visitId: "v2"), .editHousehold(id: "h2"), .newHousehold(headName: "Lê", hamletCode: nil)]
        let data = try XCTUnwrap(state.encoded())
        XCTAssertEqual(NavigationState.decoded(from: data), state)
        XCTAssertNil(NavigationState.decoded(from: Data("not json".utf8)))
        XCTAssertNil(NavigationState.decoded(from: nil))
    }

    func testStoredChoicesAreFoundInTheCoresLists() {
        for outcome in visitOutcomes() {
            XCTAssertEqual(StoredChoice.find(outcome.code(), in: visitOutcomes()) { $0.code() }, outcome)
        }
        for result in assistResults() {
            XCTAssertEqual(StoredChoice.find(result.code(), in: assistResults()) { $0.code() }, result)
        }
        XCTAssertNil(StoredChoice.find("no-such-code", in: visitOutcomes()) { $0.code() })
        XCTAssertNil(StoredChoice.find(nil, in: visitOutcomes()) { $0.code() })
    }

    func testACalendarDayGoesThroughThePickerUnchanged() {
        for day in ["2026-11-30", "2026-01-01", "2024-02-29", "2026-12-31"] {
            XCTAssertEqual(CalendarDayPicker.day(of: CalendarDayPicker.date(of: day)), day)
        }
        XCTAssertEqual(CalendarDayPicker.calendar.timeZone.secondsFromGMT(), 0)
    }

    func testChromeFallsBackToTheVietnameseKey() {
        let vi = Chrome(lang: .vi)
        XCTAssertEqual(vi("Hôm nay"), "Hôm nay")
        XCTAssertEqual(vi("Một khoá không có trong bảng %@", "x"), "Một khoá không có trong bảng x")
        let en = Chrome(lang: .en)
        XCTAssertEqual(en("Hôm nay"), "Today", "the English table of Localizable.xcstrings")
        XCTAssertEqual(en("Lịch sử đến hộ (%@)", formatCount(n: 1234, lang: .en)), "Visit history (1,234)")
    }

    func testDigitsOnlyFields() {
        XCTAssertEqual(TypedText.digits("1a2 3٤"), "123")
        XCTAssertEqual(TypedText.digits("1234567", limit: 4), "1234")
        XCTAssertNil(TypedText.number(""))
        XCTAssertEqual(TypedText.number("042"), 42)
        XCTAssertNil(TypedText.optional("   "))
        XCTAssertEqual(TypedText.optional("  Nguyễn   Văn  "), "Nguyễn Văn")
    }

    func testUIErrorKeepsTheCoresWordsAndProblems() {
        let problem = FieldProblem(
            field: "assists[0].dossier_code", fieldLabelVi: "Mã hồ sơ (dịch vụ 1)", fieldLabelEn: "Dossier code (service 1)",
            code: .required, messageVi: "vi", messageEn: "en"
        )
        let error = UIError(FieldKitError.Validation(code: "validation", problems: [problem], messageVi: "Có lỗi", messageEn: "Problems"))
        XCTAssertEqual(error.code, "validation")
        XCTAssertEqual(error.problem("assists[0].dossier_code")?.message(.en), "en")
        XCTAssertEqual(error.problem("assists[0].dossier_code")?.label(.vi), "Mã hồ sơ (dịch vụ 1)")
        XCTAssertNil(error.problem("note"))
        XCTAssertEqual(error.message, .core(Bilingual(vi: "Có lỗi", en: "Problems")))
        struct Other: Error {}
        XCTAssertEqual(UIError(Other()).code, "unexpected")
    }
}
