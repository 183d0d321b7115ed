//! When to sync: a pure decision from what the phone's platform reports (network, battery, power
//! saver), what asked for the sync and the volunteer's "wifi only" setting. The apps gather the
//! facts (ConnectivityManager / BatteryManager on Android, NWPathMonitor / UIDevice on iOS) and
//! show the `Wait` message when the volunteer looks at the queue.

/// Below this battery level, and not charging, automatic syncs wait.
pub const LOW_BATTERY_PERCENT: u8 = 15;

/// What the platform says about the phone right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NetworkFacts {
    /// Some network is up (validated by the platform where it can tell).
    pub connected: bool,
    /// The network is not metered (wifi, ethernet), as opposed to mobile data or a hotspot.
    pub unmetered: bool,
    /// Battery level 0–100; `None` when the platform does not say.
    pub battery_percent: Option<u8>,
    pub charging: bool,
    /// Android battery saver / iOS Low Power Mode.
    pub power_saver: bool,
}

/// What asked for a sync. The app names it, so it is a closed set: there is no value from a
/// newer version to keep (and no `Unknown` to pass by mistake).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SyncTrigger {
    /// The background scheduler (WorkManager / BGTaskScheduler).
    Periodic,
    /// The volunteer opened the app.
    AppForeground,
    /// The volunteer pressed "Gửi ngay" (Send now).
    UserForced,
}

impl SyncTrigger {
    /// Every trigger, in declaration order.
    pub const ALL: [SyncTrigger; 3] = [
        SyncTrigger::Periodic,
        SyncTrigger::AppForeground,
        SyncTrigger::UserForced,
    ];

    /// Stable machine code, for logs.
    pub fn as_str(&self) -> &'static str {
        match self {
            SyncTrigger::Periodic => "periodic",
            SyncTrigger::AppForeground => "app_foreground",
            SyncTrigger::UserForced => "user_forced",
        }
    }

    pub fn label_vi(&self) -> &'static str {
        match self {
            SyncTrigger::Periodic => "Tự động gửi định kỳ",
            SyncTrigger::AppForeground => "Khi mở ứng dụng",
            SyncTrigger::UserForced => "Bấm \"Gửi ngay\"",
        }
    }

    pub fn label_en(&self) -> &'static str {
        match self {
            SyncTrigger::Periodic => "Scheduled background sync",
            SyncTrigger::AppForeground => "On opening the app",
            SyncTrigger::UserForced => "\"Send now\" pressed",
        }
    }
}

/// Why an automatic sync waits. Decided here and shown by the app, so it is a closed set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SyncWaitReason {
    /// No connection at all.
    Offline,
    /// On mobile data while the volunteer chose "wifi only".
    Metered,
    /// Battery below [`LOW_BATTERY_PERCENT`] and not charging.
    LowBattery,
    /// Battery saver (Android) or Low Power Mode (iOS) is on.
    PowerSaver,
}

impl SyncWaitReason {
    /// Every reason, in the order the rules check them.
    pub const ALL: [SyncWaitReason; 4] = [
        SyncWaitReason::Offline,
        SyncWaitReason::Metered,
        SyncWaitReason::LowBattery,
        SyncWaitReason::PowerSaver,
    ];

    /// Stable machine code: `offline`, `metered`, `low_battery`, `power_saver`.
    pub fn as_str(&self) -> &'static str {
        match self {
            SyncWaitReason::Offline => "offline",
            SyncWaitReason::Metered => "metered",
            SyncWaitReason::LowBattery => "low_battery",
            SyncWaitReason::PowerSaver => "power_saver",
        }
    }

    /// A short label (the full sentence is the decision's message).
    pub fn label_vi(&self) -> &'static str {
        match self {
            SyncWaitReason::Offline => "Chưa có mạng",
            SyncWaitReason::Metered => "Chờ wifi",
            SyncWaitReason::LowBattery => "Pin yếu",
            SyncWaitReason::PowerSaver => "Đang tiết kiệm pin",
        }
    }

    pub fn label_en(&self) -> &'static str {
        match self {
            SyncWaitReason::Offline => "Offline",
            SyncWaitReason::Metered => "Waiting for wifi",
            SyncWaitReason::LowBattery => "Battery low",
            SyncWaitReason::PowerSaver => "Battery saver on",
        }
    }
}

/// The FFI face of the policy's enums (feature `uniffi`): labels in the app's language.
#[cfg(feature = "uniffi")]
mod ffi {
    use super::{SyncTrigger, SyncWaitReason};
    use gocua_protocol::format::Lang;

    /// `label(lang)` and `code()` for the apps, from the enum's own labels and wire value.
    macro_rules! ffi_labels {
        ($($name:ident),+) => { $(
            #[uniffi::export]
            impl $name {
                /// The label to show, in `lang`.
                #[uniffi::method(name = "label")]
                pub fn uniffi_label(&self, lang: Lang) -> String {
                    match lang {
                        Lang::Vi => self.label_vi().to_owned(),
                        Lang::En => self.label_en().to_owned(),
                    }
                }

                /// Stable machine code, for logs (`user_forced`; `offline`, `metered`, …).
                #[uniffi::method(name = "code")]
                pub fn uniffi_code(&self) -> String {
                    self.as_str().to_owned()
                }
            }
        )+ };
    }

    ffi_labels!(SyncTrigger, SyncWaitReason);
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncDecision {
    Now,
    /// Do not sync yet, for `reason`; the messages are for the volunteer.
    Wait {
        reason: SyncWaitReason,
        message_vi: String,
        message_en: String,
    },
}

impl SyncDecision {
    pub fn is_now(&self) -> bool {
        matches!(self, SyncDecision::Now)
    }

    /// The reason for waiting, if any.
    pub fn reason(&self) -> Option<SyncWaitReason> {
        match self {
            SyncDecision::Now => None,
            SyncDecision::Wait { reason, .. } => Some(*reason),
        }
    }

    /// The reason's stable code (`offline`, `metered`, `low_battery`, `power_saver`), if any.
    pub fn reason_code(&self) -> Option<&'static str> {
        self.reason().map(|r| r.as_str())
    }
}

fn wait(reason: SyncWaitReason, message_vi: String, message_en: String) -> SyncDecision {
    SyncDecision::Wait {
        reason,
        message_vi,
        message_en,
    }
}

/// Decides whether to sync now. Rules, first match wins:
/// 1. no connection → wait (`offline`), whatever the trigger;
/// 2. a metered network while "wifi only" is on → wait (`metered`), even for "Gửi ngay", unless
///    the volunteer pressed "Gửi ngay" *and* chose to send over mobile data this once (the
///    "Gửi ngay bằng dữ liệu di động" button: `mobile_data_once`; ignored for the automatic
///    triggers: only the volunteer can say it);
/// 3. battery below 15 % and not charging → wait (`low_battery`) unless "Gửi ngay";
/// 4. power saver on → a periodic sync waits (`power_saver`); opening the app or forcing syncs.
///
/// The sync itself asks again between batches (see `Store::sync_once_checked`), so a phone that
/// leaves wifi mid-sync stops after the batch in flight.
pub fn decide(
    facts: &NetworkFacts,
    trigger: SyncTrigger,
    wifi_only_setting: bool,
    mobile_data_once: bool,
) -> SyncDecision {
    let forced = trigger == SyncTrigger::UserForced;
    let metered_ok = forced && mobile_data_once;
    if !facts.connected {
        return wait(
            SyncWaitReason::Offline,
            "Chưa có kết nối mạng. Dữ liệu vẫn nằm an toàn trong hàng chờ; sẽ tự gửi khi có mạng."
                .into(),
            "No connection. Your data is safe in the queue and will be sent when there is a connection."
                .into(),
        );
    }
    if !facts.unmetered && wifi_only_setting && !metered_ok {
        return wait(
            SyncWaitReason::Metered,
            "Đang dùng dữ liệu di động; sẽ gửi khi có wifi. Bấm \"Gửi ngay bằng dữ liệu di động\" để gửi lần này."
                .into(),
            "On mobile data; will send when on wifi. Tap \"Send now on mobile data\" to send this time."
                .into(),
        );
    }
    if let Some(level) = facts.battery_percent {
        if level < LOW_BATTERY_PERCENT && !facts.charging && !forced {
            return wait(
                SyncWaitReason::LowBattery,
                format!(
                    "Pin yếu ({level}%); sẽ gửi khi cắm sạc. Bấm \"Gửi ngay\" nếu cần gửi ngay."
                ),
                format!(
                    "Battery low ({level}%); will send when charging. Tap \"Send now\" to send anyway."
                ),
            );
        }
    }
    if facts.power_saver && trigger == SyncTrigger::Periodic {
        return wait(
            SyncWaitReason::PowerSaver,
            "Điện thoại đang bật chế độ tiết kiệm pin; sẽ gửi khi mở ứng dụng hoặc khi tắt chế độ này."
                .into(),
            "Battery saver is on; will send when you open the app or turn battery saver off."
                .into(),
        );
    }
    SyncDecision::Now
}

#[cfg(test)]
mod tests {
    use super::*;
    use SyncTrigger::*;

    const ALL: [SyncTrigger; 3] = [Periodic, AppForeground, UserForced];

    fn wifi() -> NetworkFacts {
        NetworkFacts {
            connected: true,
            unmetered: true,
            battery_percent: Some(80),
            charging: false,
            power_saver: false,
        }
    }

    fn mobile() -> NetworkFacts {
        NetworkFacts {
            unmetered: false,
            ..wifi()
        }
    }

    fn reason(facts: NetworkFacts, trigger: SyncTrigger, wifi_only: bool) -> Option<&'static str> {
        decide(&facts, trigger, wifi_only, false).reason_code()
    }

    #[test]
    fn good_conditions_sync_now_for_every_trigger() {
        for t in ALL {
            assert_eq!(decide(&wifi(), t, true, false), SyncDecision::Now);
            assert_eq!(decide(&wifi(), t, false, false), SyncDecision::Now);
        }
    }

    #[test]
    fn offline_always_waits_even_when_forced() {
        let facts = NetworkFacts {
            connected: false,
            ..wifi()
        };
        for t in ALL {
            for wifi_only in [true, false] {
                assert_eq!(reason(facts, t, wifi_only), Some("offline"));
            }
        }
        // Offline wins over every other reason.
        let worst = NetworkFacts {
            connected: false,
            unmetered: false,
            battery_percent: Some(3),
            charging: false,
            power_saver: true,
        };
        assert_eq!(reason(worst, Periodic, true), Some("offline"));
    }

    #[test]
    fn metered_waits_when_wifi_only_even_for_send_now_without_the_override() {
        assert_eq!(reason(mobile(), Periodic, true), Some("metered"));
        assert_eq!(reason(mobile(), AppForeground, true), Some("metered"));
        // "Gửi ngay" alone respects "wifi only".
        assert_eq!(reason(mobile(), UserForced, true), Some("metered"));
    }

    #[test]
    fn the_mobile_data_override_lets_only_send_now_through() {
        let with_override = |facts: NetworkFacts, t| decide(&facts, t, true, true).reason_code();
        // "Gửi bằng dữ liệu di động lần này": the volunteer's own choice.
        assert_eq!(with_override(mobile(), UserForced), None);
        // The automatic triggers cannot carry it: the flag is ignored.
        assert_eq!(with_override(mobile(), Periodic), Some("metered"));
        assert_eq!(with_override(mobile(), AppForeground), Some("metered"));
        // It does not make a connection appear.
        let offline = NetworkFacts {
            connected: false,
            ..mobile()
        };
        assert_eq!(with_override(offline, UserForced), Some("offline"));
        // Low battery on mobile data: "Gửi ngay" with the override sends.
        let low = NetworkFacts {
            battery_percent: Some(5),
            ..mobile()
        };
        assert_eq!(with_override(low, UserForced), None);
        assert_eq!(reason(low, UserForced, true), Some("metered"));
    }

    #[test]
    fn metered_is_fine_when_wifi_only_is_off() {
        for t in ALL {
            assert_eq!(reason(mobile(), t, false), None);
        }
    }

    #[test]
    fn low_battery_waits_unless_forced_or_charging() {
        let low = NetworkFacts {
            battery_percent: Some(14),
            ..wifi()
        };
        assert_eq!(reason(low, Periodic, true), Some("low_battery"));
        assert_eq!(reason(low, AppForeground, true), Some("low_battery"));
        assert_eq!(reason(low, UserForced, true), None);
        let charging = NetworkFacts {
            charging: true,
            ..low
        };
        for t in ALL {
            assert_eq!(reason(charging, t, true), None);
        }
    }

    #[test]
    fn battery_threshold_and_unknown_level() {
        let at = |p| NetworkFacts {
            battery_percent: Some(p),
            ..wifi()
        };
        assert_eq!(reason(at(15), Periodic, true), None);
        assert_eq!(reason(at(0), Periodic, true), Some("low_battery"));
        let unknown = NetworkFacts {
            battery_percent: None,
            ..wifi()
        };
        assert_eq!(reason(unknown, Periodic, true), None);
    }

    #[test]
    fn power_saver_holds_only_periodic_syncs() {
        let saver = NetworkFacts {
            power_saver: true,
            ..wifi()
        };
        assert_eq!(reason(saver, Periodic, true), Some("power_saver"));
        assert_eq!(reason(saver, AppForeground, true), None);
        assert_eq!(reason(saver, UserForced, true), None);
        // Even while charging: the volunteer asked the phone to save power.
        let charging = NetworkFacts {
            charging: true,
            ..saver
        };
        assert_eq!(reason(charging, Periodic, true), Some("power_saver"));
    }

    #[test]
    fn first_matching_rule_names_the_reason() {
        let facts = NetworkFacts {
            battery_percent: Some(5),
            power_saver: true,
            ..mobile()
        };
        assert_eq!(reason(facts, Periodic, true), Some("metered"));
        assert_eq!(reason(facts, Periodic, false), Some("low_battery"));
        let charging = NetworkFacts {
            charging: true,
            ..facts
        };
        assert_eq!(reason(charging, Periodic, false), Some("power_saver"));
    }

    #[test]
    fn codes_and_labels_are_distinct_and_bilingual() {
        let codes: std::collections::HashSet<_> =
            SyncWaitReason::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(codes.len(), SyncWaitReason::ALL.len());
        for r in SyncWaitReason::ALL {
            assert!(!r.label_vi().is_empty() && !r.label_en().is_empty());
        }
        let triggers: std::collections::HashSet<_> =
            SyncTrigger::ALL.iter().map(|t| t.as_str()).collect();
        assert_eq!(triggers.len(), 3);
        assert_eq!(SyncTrigger::UserForced.label_vi(), "Bấm \"Gửi ngay\"");
        assert_eq!(
            decide(&NetworkFacts::default(), Periodic, false, false).reason(),
            Some(SyncWaitReason::Offline)
        );
    }

    #[test]
    fn messages_are_vietnamese_with_diacritics_and_english() {
        let SyncDecision::Wait {
            message_vi,
            message_en,
            ..
        } = decide(&mobile(), Periodic, true, false)
        else {
            panic!("expected wait")
        };
        assert_eq!(
            message_vi,
            "Đang dùng dữ liệu di động; sẽ gửi khi có wifi. Bấm \"Gửi ngay bằng dữ liệu di động\" để gửi lần này."
        );
        assert!(message_en.contains("Send now on mobile data"));

        let low = NetworkFacts {
            battery_percent: Some(9),
            ..wifi()
        };
        let SyncDecision::Wait { message_vi, .. } = decide(&low, Periodic, true, false) else {
            panic!("expected wait")
        };
        assert!(message_vi.starts_with("Pin yếu (9%)"), "{message_vi}");
    }
}
