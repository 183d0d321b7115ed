//! Vocabularies: the lists a form offers, and the few enums that exist only at the FFI.
//!
//! The vocabularies of field work (visit outcome, assist result, levels, …) are the protocol's
//! open enums, exported by `gocua-protocol` itself (feature `uniffi`); the sync trigger and wait
//! reason are `gocua-core`'s. Each has `label(lang)`, `code()` and — for open enums —
//! `is_known()`. This module adds one function per vocabulary returning its values in order (for
//! a picker), and the enums of values that are strings inside the core (queue state, how the last
//! sync ended, clock warnings, problem codes), in the same shape.

use gocua_core::policy::{SyncTrigger, SyncWaitReason};
use gocua_core::protocol::format::Lang;
use gocua_core::protocol::*;

/// Declares an FFI-only open enum with labels, like `gocua_protocol::open_enum!`.
macro_rules! ffi_open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal => ($vi:literal, $en:literal) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, uniffi::Enum)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value from a newer version of Gõ Cửa, kept as it was received.
            Unknown(String),
        }

        impl $name {
            /// Every value this version knows, in declaration order.
            pub const KNOWN: &'static [$name] = &[ $( $name::$variant ),+ ];

            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(other) => other.as_str(),
                }
            }

            pub fn parse(value: &str) -> Self {
                match value {
                    $( $wire => $name::$variant, )+
                    other => $name::Unknown(other.to_owned()),
                }
            }

            pub fn label_in(&self, lang: Lang) -> &str {
                match (self, lang) {
                    $( ($name::$variant, Lang::Vi) => $vi, ($name::$variant, Lang::En) => $en, )+
                    ($name::Unknown(other), _) => other.as_str(),
                }
            }
        }

        #[uniffi::export]
        impl $name {
            /// The label to show, in `lang`; a value from a newer version shows as received.
            pub fn label(&self, lang: Lang) -> String {
                self.label_in(lang).to_owned()
            }

            /// The stable machine code (for logs, never for display).
            pub fn code(&self) -> String {
                self.as_str().to_owned()
            }

            /// Whether this version of Gõ Cửa knows the value (not `Unknown`).
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Unknown(_))
            }
        }
    };
}

ffi_open_enum! {
    /// Where a record is in the upload queue.
    pub enum QueueEntryState {
        Pending = "pending" => ("Chờ gửi", "Waiting to be sent"),
        InFlight = "in_flight" => ("Đang gửi", "Sending"),
        Accepted = "accepted" => ("Đã gửi", "Sent"),
        Rejected = "rejected" => ("Bị từ chối, cần sửa", "Rejected, needs fixing"),
        Deleted = "deleted" => ("Đã bị xoá trên máy chủ", "Deleted on the server"),
    }
}

ffi_open_enum! {
    /// How the last sync ended.
    pub enum LastSyncOutcome {
        Ok = "ok" => ("Đã gửi xong", "All sent"),
        Partial = "partial" => ("Đã gửi, có bản ghi bị từ chối", "Sent, some records rejected"),
        Failed = "failed" => ("Chưa gửi được", "Could not send"),
        Cancelled = "cancelled" => ("Đã huỷ", "Cancelled"),
        /// The sync policy, asked again between batches, said to wait (the last sync's
        /// `error_code` is its reason); the rest goes with the next sync.
        Stopped = "stopped" => ("Tạm dừng, sẽ gửi tiếp sau", "Paused, the rest goes later"),
    }
}

ffi_open_enum! {
    /// Why the phone's clock looks wrong (records made now are flagged, never refused).
    pub enum ClockWarningKind {
        ClockUnset = "clock_unset" => ("Ngày giờ của điện thoại chưa được đặt", "The phone's date is not set"),
        ClockBeforeLastSync = "clock_before_last_sync" => ("Đồng hồ điện thoại chậm hơn máy chủ", "The phone's clock is behind the server's"),
        ClockFarAhead = "clock_far_ahead" => ("Đồng hồ điện thoại chạy quá nhanh", "The phone's clock is far ahead"),
    }
}

ffi_open_enum! {
    /// What is wrong with a field, in a validation problem or in the server's reason for refusing
    /// a record. Codes the server adds later arrive as `Unknown` with their messages.
    pub enum ProblemCode {
        Required = "required" => ("Bắt buộc", "Required"),
        TooLong = "too_long" => ("Quá dài", "Too long"),
        OutOfRange = "out_of_range" => ("Ngoài khoảng cho phép", "Out of range"),
        InvalidFormat = "invalid_format" => ("Sai định dạng", "Invalid format"),
        TooFarInPast = "too_far_in_past" => ("Quá xa trong quá khứ", "Too far in the past"),
        InFuture = "in_future" => ("Ở tương lai", "In the future"),
        EndBeforeStart = "end_before_start" => ("Kết thúc trước khi bắt đầu", "Ends before it starts"),
        UnknownValue = "unknown_value" => ("Giá trị không có trong danh mục", "Value not in the list"),
        UnknownService = "unknown_service" => ("Dịch vụ không có trong danh mục", "Service not in the catalogue"),
        UnknownArea = "unknown_area" => ("Địa bàn không có trong danh sách", "Area not in the list"),
        OutsideTeamArea = "outside_team_area" => ("Ngoài địa bàn của đội", "Outside the team's area"),
        NotYourTeam = "not_your_team" => ("Thuộc đội khác", "Belongs to another team"),
        ConsentRequired = "consent_required" => ("Cần sự đồng ý", "Consent required"),
        Inconsistent = "inconsistent" => ("Không khớp với thông tin khác", "Inconsistent"),
        TooManyItems = "too_many_items" => ("Quá nhiều mục", "Too many items"),
        InvalidCharacter = "invalid_character" => ("Có ký tự không được phép", "Character not allowed"),
        UnknownHousehold = "unknown_household" => ("Máy chủ chưa có hộ này", "Household not on the server"),
        AlreadyCorrected = "already_corrected" => ("Đã được sửa bởi bản khác", "Already corrected"),
        ConflictDifferentContent = "conflict_different_content" => ("Máy chủ có nội dung khác", "Different content on the server"),
        InvalidRecord = "invalid_record" => ("Bản ghi sai định dạng", "Malformed record"),
        Deleted = "deleted" => ("Đã bị xoá trên máy chủ", "Deleted on the server"),
        NotGocuaLink = "not_gocua_link" => ("Không phải mã đăng ký Gõ Cửa", "Not a Gõ Cửa enrolment code"),
        MissingServer = "missing_server" => ("Thiếu địa chỉ máy chủ", "Server address missing"),
        MissingCode = "missing_code" => ("Thiếu mã đăng ký", "Enrolment code missing"),
        ServerNotHttp = "server_not_http" => ("Địa chỉ máy chủ không đúng", "Server address not valid"),
        AssigneeNotInTeam = "assignee_not_in_team" => ("Không phải đội viên của đội", "Not a member of the team"),
        AreaOutsideTeam = "area_outside_team" => ("Ngoài địa bàn của đội", "Outside the team's areas"),
        HouseholdNotInTeam = "household_not_in_team" => ("Hộ không thuộc đội", "Not one of the team's households"),
        AssignerNotLeader = "assigner_not_leader" => ("Chỉ đội trưởng được phân công", "Only the team leader assigns"),
        CampaignNotRunning = "campaign_not_running" => ("Không có đợt đang diễn ra", "No campaign running"),
    }
}

/// What a piece of feedback is about. Chosen by the app, so a closed set.
#[derive(Debug, Clone, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum FeedbackSource {
    /// About a visit (`visit_id` as `VisitView.id`).
    Visit { visit_id: String },
    /// About an outreach session (`session_id` as returned by `record_session`).
    Session { session_id: String },
    /// Not about one visit or session.
    General,
}

#[uniffi::export]
impl FeedbackSource {
    /// "Về một lượt đến hộ" / "About a visit", …
    pub fn label(&self, lang: Lang) -> String {
        lang.pick(
            match self {
                FeedbackSource::Visit { .. } => "Về một lượt đến hộ",
                FeedbackSource::Session { .. } => "Về một buổi tuyên truyền",
                FeedbackSource::General => "Chung",
            },
            match self {
                FeedbackSource::Visit { .. } => "About a visit",
                FeedbackSource::Session { .. } => "About a session",
                FeedbackSource::General => "General",
            },
        )
        .to_owned()
    }
}

// One function per vocabulary: its known values in order, for a picker (labels with
// `value.label(lang)`).

/// What happened at the door: met, not home, refused, moved away, other.
#[uniffi::export]
pub fn visit_outcomes() -> Vec<VisitOutcome> {
    VisitOutcome::KNOWN.to_vec()
}

/// How far an assisted service got.
#[uniffi::export]
pub fn assist_results() -> Vec<AssistResult> {
    AssistResult::KNOWN.to_vec()
}

/// Why an assisted service could not be finished.
#[uniffi::export]
pub fn not_finished_reasons() -> Vec<NotFinishedReason> {
    NotFinishedReason::KNOWN.to_vec()
}

/// Service levels of Decree 43/2011.
#[uniffi::export]
pub fn levels_43() -> Vec<Level43> {
    Level43::KNOWN.to_vec()
}

/// Service levels of Decree 42/2022.
#[uniffi::export]
pub fn levels_42() -> Vec<Level42> {
    Level42::KNOWN.to_vec()
}

/// Kinds of catalogue entry.
#[uniffi::export]
pub fn service_kinds() -> Vec<ServiceKind> {
    ServiceKind::KNOWN.to_vec()
}

/// Kinds of outreach session.
#[uniffi::export]
pub fn session_kinds() -> Vec<SessionKind> {
    SessionKind::KNOWN.to_vec()
}

/// Categories of difficulties and recommendations.
#[uniffi::export]
pub fn feedback_categories() -> Vec<FeedbackCategory> {
    FeedbackCategory::KNOWN.to_vec()
}

/// How a person gave consent.
#[uniffi::export]
pub fn consent_methods() -> Vec<ConsentMethod> {
    ConsentMethod::KNOWN.to_vec()
}

/// Kinds of record in the upload queue.
#[uniffi::export]
pub fn record_kinds() -> Vec<RecordKind> {
    RecordKind::KNOWN.to_vec()
}

/// Levels of the area tree.
#[uniffi::export]
pub fn area_levels() -> Vec<AreaLevel> {
    AreaLevel::KNOWN.to_vec()
}

/// Roles in a team.
#[uniffi::export]
pub fn member_roles() -> Vec<MemberRole> {
    MemberRole::KNOWN.to_vec()
}

/// What a target can count.
#[uniffi::export]
pub fn indicators() -> Vec<Indicator> {
    Indicator::KNOWN.to_vec()
}

/// What can ask for a sync.
#[uniffi::export]
pub fn sync_triggers() -> Vec<SyncTrigger> {
    SyncTrigger::ALL.to_vec()
}

/// Why an automatic sync can wait.
#[uniffi::export]
pub fn sync_wait_reasons() -> Vec<SyncWaitReason> {
    SyncWaitReason::ALL.to_vec()
}

/// Where a record can be in the upload queue.
#[uniffi::export]
pub fn queue_entry_states() -> Vec<QueueEntryState> {
    QueueEntryState::KNOWN.to_vec()
}

/// How a sync can end.
#[uniffi::export]
pub fn last_sync_outcomes() -> Vec<LastSyncOutcome> {
    LastSyncOutcome::KNOWN.to_vec()
}

/// The kinds of feedback source, for a picker; fill in the id of the visit or session chosen.
#[uniffi::export]
pub fn feedback_sources() -> Vec<FeedbackSource> {
    vec![
        FeedbackSource::Visit {
            visit_id: String::new(),
        },
        FeedbackSource::Session {
            session_id: String::new(),
        },
        FeedbackSource::General,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ffi_enums_parse_their_codes_and_keep_unknown_ones() {
        for s in QueueEntryState::KNOWN {
            assert_eq!(&QueueEntryState::parse(s.as_str()), s);
            assert_ne!(s.label_in(Lang::Vi), s.label_in(Lang::En));
        }
        assert_eq!(
            ProblemCode::parse("gremlins"),
            ProblemCode::Unknown("gremlins".into())
        );
        assert_eq!(
            ProblemCode::parse("gremlins").label_in(Lang::Vi),
            "gremlins"
        );
        assert_eq!(LastSyncOutcome::parse("partial"), LastSyncOutcome::Partial);
    }

    #[test]
    fn every_validation_code_of_the_protocol_is_a_known_problem_code() {
        for c in gocua_core::protocol::ValidationCode::ALL {
            assert!(ProblemCode::parse(c.as_str()).is_known(), "{c:?}");
        }
    }

    #[test]
    fn choices_are_typed_and_labelled() {
        assert_eq!(visit_outcomes()[0], VisitOutcome::Met);
        assert_eq!(visit_outcomes()[0].uniffi_label(Lang::Vi), "Gặp được hộ");
        assert_eq!(levels_42().len(), 2);
        assert_eq!(sync_triggers().len(), 3);
    }
}
