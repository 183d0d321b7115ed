// One household in a list: the head's name (or that the personal data were erased), the address
// and hamlet, and the last visit with its outcome as the core labels it.

import GoCuaKit
import SwiftUI

struct HouseholdRow: View {
    @Environment(\.chrome) private var tr
    let household: HouseholdSummaryView
    let areaNames: [String: String]

    var body: some View {
        VStack(alignment: .leading, spacing: 2) {
            Text(household.erased ? tr("Đã xóa thông tin cá nhân") : household.headName)
                .font(.headline)
            if !place.isEmpty {
                Text(place)
                    .font(.callout)
            }
            Text(lastVisit)
                .font(.callout)
                .foregroundStyle(.secondary)
        }
        .padding(.vertical, 2)
        .accessibilityElement(children: .combine)
    }

    private var place: String {
        var parts: [String] = []
        if !household.addressLine.isEmpty {
            parts.append(household.addressLine)
        }
        if let hamlet = household.hamletCode {
            parts.append(areaNames[hamlet] ?? hamlet)
        }
        return parts.joined(separator: " · ")
    }

    private var lastVisit: String {
        guard let at = household.lastVisitAt else {
            return tr("Chưa đến lần nào")
        }
        let when = formatDayTime(at: at, lang: tr.lang)
        guard let outcome = household.lastOutcome else {
            return tr("Lần cuối: %@", when)
        }
        return tr("Lần cuối: %@ — %@", when, outcome.label(lang: tr.lang))
    }
}
