package vn.gocua.app

import android.content.Context
import com.google.mlkit.vision.barcode.common.Barcode
import com.google.mlkit.vision.codescanner.GmsBarcodeScannerOptions
import com.google.mlkit.vision.codescanner.GmsBarcodeScanning

/**
 * Scans the enrolment QR code with Google's code scanner (its own camera UI, no camera
 * permission for this app). Where Play services are missing, the volunteer types the code.
 */
fun scanEnrolQr(context: Context, onPayload: (String) -> Unit, onUnavailable: () -> Unit) {
    val options = GmsBarcodeScannerOptions.Builder().setBarcodeFormats(Barcode.FORMAT_QR_CODE).build()
    GmsBarcodeScanning.getClient(context, options).startScan()
        .addOnSuccessListener { code -> code.rawValue?.let(onPayload) }
        .addOnFailureListener { onUnavailable() }
}
