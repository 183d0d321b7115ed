// What is known about the household: address, place, members, phone, consent — or, once erased,
// only that its personal data were erased.

import GoCuaKit
import SwiftUI

struct HouseholdInfoSection: View {
    @Environment(\.chrome) private var tr
    let household: HouseholdView
    let place: String

    var body: some View {
        Section {
            if household.erased {
                Text(tr("Đã xóa thông tin cá nhân"))
                    .font(.headline)
                    .accessibilityIdentifier("detail.erased")
            } else {
                Text(household.headName)
                    .font(.title3.weight(.semibold))
                    .accessibilityIdentifier("detail.headName")
                Text(household.addressLine)
                    .accessibilityIdentifier("detail.address")
            }
            Text(place)
                .foregroundStyle(.secondary)
            Text(tr("%@ người trong hộ", Formats.count(household.members, tr.lang)))
            if let phone = household.phone {
                Text(tr("Điện thoại: %@", phone))
            }
            if !household.erased {
                Text(household.consentGiven ? tr("Đã đồng ý lưu thông tin liên hệ") : tr("Chưa đồng ý lưu thông tin liên hệ"))
                    .font(.callout)
                    .foregroundStyle(.secondary)
            }
        }
    }
}
