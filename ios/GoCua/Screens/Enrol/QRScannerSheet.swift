// Scans the enrolment QR code: VisionKit's DataScannerViewController where the phone supports it
// (A12 Bionic and later, camera allowed), else an AVFoundation capture session. Either hands the
// QR code's text to `onPayload` once; the core reads it (parseEnrolLink).

import AVFoundation
import SwiftUI
import VisionKit

struct QRScannerSheet: View {
    @Environment(\.chrome) private var tr
    @Environment(\.dismiss) private var dismiss
    let onPayload: (String) -> Void

    var body: some View {
        NavigationStack {
            scanner
                .ignoresSafeArea(edges: .bottom)
                .navigationTitle(tr("Quét mã QR"))
                .navigationBarTitleDisplayMode(.inline)
                .toolbar {
                    ToolbarItem(placement: .cancellationAction) {
                        Button(tr("Đóng")) { dismiss() }
                            .accessibilityIdentifier("scanner.close")
                    }
                }
        }
    }

    @ViewBuilder
    private var scanner: some View {
        if AVCaptureDevice.authorizationStatus(for: .video) == .denied {
            Text(tr("Gõ Cửa chưa được dùng máy ảnh. Hãy cho phép trong Cài đặt của iPhone, hoặc nhập mã bằng tay."))
                .padding()
        } else if DataScannerViewController.isSupported && DataScannerViewController.isAvailable {
            DataScannerView(onPayload: onPayload)
        } else {
            CameraQRView(onPayload: onPayload)
        }
    }
}
