// The consent to keep contact details, as asked at the door: a switch (touching it means it was
// asked) and, once asked, how it was given, from the core's list (consentMethods()). The core
// decides what needs consent and records it with its method, time and volunteer.

import GoCuaKit
import SwiftUI

struct ConsentSection: View {
    @Environment(\.chrome) private var tr
    @Binding var asked: Bool
    @Binding var given: Bool
    @Binding var method: ConsentMethod?
    let error: UIError?
    let identifier: String

    var body: some View {
        Section(fieldLabel(field: "consent", lang: tr.lang)) {
            Toggle(tr("Người dân đồng ý cho lưu số điện thoại và thông tin liên hệ"), isOn: givenBinding)
                .accessibilityIdentifier("\(identifier).given")
            if asked {
                Text(fieldLabel(field: "consent.method", lang: tr.lang))
                    .font(.subheadline)
                    .foregroundStyle(.secondary)
                ChoiceList(options: consentMethods(), selection: $method, label: { $0.label(lang: tr.lang) },
                           identifier: "\(identifier).method", key: { $0.code() })
                ProblemText(error: error, field: "consent.method")
            }
            ProblemText(error: error, field: "consent")
        }
    }

    private var givenBinding: Binding<Bool> {
        Binding(get: { given }, set: { value in
            given = value
            asked = true
        })
    }
}
