// One location fix, asked for only when the volunteer taps "add location" on a visit: the
// permission prompt appears then, never at launch. When-in-use only; no background location.

import CoreLocation
import GoCuaKit

final class LocationRequest: NSObject, CLLocationManagerDelegate {
    enum Failure: Error {
        /// The volunteer (or a profile) does not allow location for the app.
        case denied
    }

    private let manager = CLLocationManager()
    private var continuation: CheckedContinuation<GpsFix, Error>?

    override init() {
        super.init()
        manager.desiredAccuracy = kCLLocationAccuracyNearestTenMeters
        manager.delegate = self
    }

    /// The phone's position now, as the core's GpsFix (accuracy in metres).
    @MainActor
    func fix() async throws -> GpsFix {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<GpsFix, Error>) in
            self.continuation?.resume(throwing: CancellationError())
            self.continuation = continuation
            switch manager.authorizationStatus {
            case .notDetermined:
                manager.requestWhenInUseAuthorization()
            case .denied, .restricted:
                finish(.failure(Failure.denied))
            default:
                manager.requestLocation()
            }
        }
    }

    @MainActor
    private func finish(_ result: Result<GpsFix, Error>) {
        let pending = continuation
        continuation = nil
        pending?.resume(with: result)
    }

    @MainActor
    private func authorizationChanged() {
        guard continuation != nil else {
            return
        }
        switch manager.authorizationStatus {
        case .notDetermined:
            break
        case .denied, .restricted:
            finish(.failure(Failure.denied))
        default:
            manager.requestLocation()
        }
    }

    func locationManagerDidChangeAuthorization(_ manager: CLLocationManager) {
        Task { @MainActor in
            self.authorizationChanged()
        }
    }

    func locationManager(_ manager: CLLocationManager, didUpdateLocations locations: [CLLocation]) {
        guard let location = locations.last else {
            return
        }
        let fix = GpsFix(
            lat: location.coordinate.latitude,
            lon: location.coordinate.longitude,
            accuracyM: Float(location.horizontalAccuracy)
        )
        Task { @MainActor in
            self.finish(.success(fix))
        }
    }

    func locationManager(_ manager: CLLocationManager, didFailWithError error: Error) {
        Task { @MainActor in
            self.finish(.failure(error))
        }
    }
}
