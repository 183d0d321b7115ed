// A day picker for the core's CalendarDay ("YYYY-MM-DD", a day of the deployment's calendar, with
// no time and no zone). The core gives the starting day (`profile.today()`) and formats the day for
// reading (`formatDay`); the system's DatePicker only lets the volunteer move it. So that the
// picker cannot shift a day through the phone's time zone, it runs on a Gregorian calendar in UTC
// and the day is carried as midnight UTC of that date. This is the only place where Swift turns a
// CalendarDay into a Date and back; there is no day arithmetic here.

import GoCuaKit
import SwiftUI

struct CalendarDayPicker: View {
    @Environment(\.chrome) private var tr
    let title: String
    @Binding var day: CalendarDay
    let identifier: String

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            DatePicker(title, selection: selection, displayedComponents: .date)
                .environment(\.calendar, CalendarDayPicker.calendar)
                .environment(\.timeZone, CalendarDayPicker.utc)
                .accessibilityLabel(title)
                .accessibilityValue(formatDay(day: day, lang: tr.lang))
                .accessibilityIdentifier(identifier)
            Text(formatDay(day: day, lang: tr.lang))
                .font(.callout)
                .foregroundStyle(.secondary)
                .accessibilityHidden(true)
        }
    }

    private var selection: Binding<Date> {
        Binding(
            get: { CalendarDayPicker.date(of: day) },
            set: { day = CalendarDayPicker.day(of: $0) }
        )
    }

    static let utc = TimeZone(secondsFromGMT: 0) ?? .gmt

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc
        return calendar
    }()

    private static let iso: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        formatter.timeZone = utc
        return formatter
    }()

    /// Midnight UTC of `day`; a day the core gave is always well formed.
    static func date(of day: CalendarDay) -> Date {
        iso.date(from: day) ?? .distantPast
    }

    static func day(of date: Date) -> CalendarDay {
        iso.string(from: date)
    }
}
