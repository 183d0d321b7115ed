// The network and battery facts the core's sync policy wants (NetworkFacts): connected; unmetered
// (not `isExpensive` — cellular or a personal hotspot — and not `isConstrained` — Low Data Mode);
// battery level and charging; Low Power Mode as the power saver. Facts only: what to make of
// them is decideSync's business.

import GoCuaKit
import Network
import UIKit

final class NetworkMonitor: ObservableObject {
    @Published private(set) var connected = false
    @Published private(set) var unmetered = false

    private let monitor = NWPathMonitor()
    private var received = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Starts watching; the monitor lives as long as the process (AppModel owns it).
    func start() {
        monitor.pathUpdateHandler = { [self] path in
            let connected = path.status == .satisfied
            let unmetered = !path.isExpensive && !path.isConstrained
            Task { @MainActor in
                self.update(connected: connected, unmetered: unmetered)
            }
        }
        monitor.start(queue: DispatchQueue(label: "vn.gocua.network"))
    }

    @MainActor
    private func update(connected: Bool, unmetered: Bool) {
        self.connected = connected
        self.unmetered = unmetered
        received = true
        let waiting = waiters
        waiters = []
        for waiter in waiting {
            waiter.resume()
        }
    }

    /// The facts now; waits for the monitor's first report (it comes at once after start).
    @MainActor
    func facts() async -> NetworkFacts {
        if !received {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                waiters.append(continuation)
            }
        }
        let device = UIDevice.current
        device.isBatteryMonitoringEnabled = true
        let level = device.batteryLevel
        return NetworkFacts(
            connected: connected,
            unmetered: unmetered,
            batteryPercent: level < 0 ? nil : UInt8(clamping: Int((level * 100).rounded())),
            charging: device.batteryState == .charging || device.batteryState == .full,
            powerSaver: ProcessInfo.processInfo.isLowPowerModeEnabled
        )
    }
}
