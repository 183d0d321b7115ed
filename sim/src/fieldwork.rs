//! What volunteers meet at the door, as data: the notes they write, the services they help with
//! and how those turn out, the difficulties they report, the outreach sessions they hold and the
//! materials they hand out. [`crate::days`] draws from these.

use chrono::{DateTime, Utc};
use gocua_core::protocol::calendar::Calendar;
use gocua_core::protocol::*;
use gocua_core::{AssistDraft, VisitDraft};
use rand::Rng;
use uuid::Uuid;

use crate::draw::weighted;

pub const MET_NOTES: &[&str] = &[
    "Hướng dẫn cài đặt ứng dụng VNeID cho con trai chủ hộ.",
    "Bà cụ sống một mình, con cháu làm ăn ở TP. Hồ Chí Minh.",
    "Hộ bán tạp hoá, nhờ hướng dẫn thanh toán tiền điện qua ứng dụng ngân hàng.",
    "Gia đình có cháu mới sinh, hướng dẫn làm liên thông khai sinh – thường trú – thẻ BHYT.",
    "Chủ hộ đi làm ở Bình Dương, chỉ gặp vợ và mẹ già.",
    "Người dân phấn khởi, nhờ đội quay lại hỗ trợ nhà hàng xóm.",
    "Nhà ở cuối đường đal, sóng điện thoại yếu, phải ra đầu hẻm mới gửi được.",
    "Hướng dẫn lưu mật khẩu VNeID vào sổ tay cho ông bà.",
];
pub const NOT_HOME_NOTES: &[&str] = &[
    "Nhà đóng cửa, hàng xóm cho biết cả nhà đi làm cỏ lúa.",
    "Cả nhà đi đám giỗ bên ngoại, hẹn quay lại.",
    "Chỉ có cháu nhỏ ở nhà, hẹn buổi tối quay lại.",
];
pub const REFUSED_NOTES: &[&str] = &[
    "Chủ hộ bận, chưa muốn nghe hướng dẫn.",
    "Ngại cung cấp thông tin cá nhân, xin để dịp khác.",
];
pub const MOVED_AWAY_NOTE: &str = "Hộ đã chuyển lên TP. Hồ Chí Minh sinh sống.";
pub const OTHER_NOTE: &str = "Nhà có tang, xin phép quay lại dịp khác.";

/// The services volunteers help with most: catalogue key, how often, and (illustrative) levels
/// under Decree 42 and Decree 43.
pub const SERVICES: &[(&str, u32, Option<&str>, Option<&str>)] = &[
    ("vneid_level2_activation", 26, None, None),
    ("birth_registration", 8, Some("toan_trinh"), Some("4")),
    ("birth_bundle_under6", 7, Some("toan_trinh"), Some("4")),
    ("permanent_residence", 7, Some("toan_trinh"), Some("4")),
    ("temporary_residence", 7, Some("toan_trinh"), Some("4")),
    (
        "marital_status_certificate",
        4,
        Some("toan_trinh"),
        Some("4"),
    ),
    ("judicial_record", 4, Some("mot_phan"), Some("3")),
    ("certify_copy", 3, Some("mot_phan"), Some("3")),
    ("id_card_renewal", 3, Some("mot_phan"), Some("3")),
    ("health_insurance_renewal", 10, None, None),
    ("dvcqg_account", 9, None, None),
    ("utility_bill_payment", 7, None, None),
    ("traffic_fine_payment", 3, None, None),
];

/// A knock at `household_id`'s door: met (two people reached) or nobody home, with nothing
/// else recorded yet; the caller adds what was done (services, note, position, follow-up).
pub fn knock(household_id: Uuid, met: bool) -> VisitDraft {
    VisitDraft {
        draft_key: None,
        household_id,
        campaign_id: None,
        started_at: None,
        ended_at: None,
        outcome: if met {
            VisitOutcome::Met
        } else {
            VisitOutcome::NotHome
        },
        people_reached: if met { 2 } else { 0 },
        gps: None,
        note: None,
        follow_up_on: None,
        assists: Vec::new(),
        consent: None,
    }
}

/// A dossier code as on the portal's receipt, on the day of `at`.
pub fn dossier_code<R: Rng + ?Sized>(rng: &mut R, at: DateTime<Utc>, calendar: Calendar) -> String {
    // Now and then a volunteer copies the receipt's code only in part: the dashboard flags it.
    if rng.random_ratio(1, 12) {
        return format!(
            "000.00.{:02}.H62-{}",
            rng.random_range(10..40),
            calendar.local_time(at).format("%y%m%d")
        );
    }
    format!(
        "000.00.{:02}.H62-{}-{:04}",
        rng.random_range(10..40),
        calendar.local_time(at).format("%y%m%d"),
        rng.random_range(1..9999)
    )
}

/// One service helped with at a visit, with a plausible result for its kind.
pub fn assist<G: Rng + ?Sized>(
    rng: &mut G,
    service: &Service,
    levels: (Option<&str>, Option<&str>),
    at: DateTime<Utc>,
    calendar: Calendar,
) -> AssistDraft {
    use AssistResult as R;
    use NotFinishedReason as N;
    type Weighted<T> = &'static [(T, u32)];
    let (results, reasons): (Weighted<AssistResult>, Weighted<NotFinishedReason>) =
        match service.kind {
            ServiceKind::VneidActivation => (
                &[
                    (R::CompletedOnline, 62),
                    (R::GuidedOnly, 10),
                    (R::NotFinished, 28),
                ],
                &[
                    (N::NoChipIdCard, 5),
                    (N::NoSmartphone, 3),
                    (N::NoInternet, 2),
                    (N::PortalError, 1),
                ],
            ),
            ServiceKind::PortalAccount => (
                &[
                    (R::CompletedOnline, 70),
                    (R::GuidedOnly, 15),
                    (R::NotFinished, 15),
                ],
                &[
                    (N::NoVneidLevel2, 4),
                    (N::ForgotPassword, 3),
                    (N::PortalError, 2),
                ],
            ),
            ServiceKind::OnlinePayment => (
                &[
                    (R::CompletedOnline, 60),
                    (R::GuidedOnly, 25),
                    (R::NotFinished, 15),
                ],
                &[
                    (N::NoInternet, 2),
                    (N::NoSmartphone, 2),
                    (N::ForgotPassword, 1),
                    (N::Other, 1),
                ],
            ),
            _ => (
                &[
                    (R::Submitted, 48),
                    (R::CompletedOnline, 14),
                    (R::GuidedOnly, 22),
                    (R::NotFinished, 16),
                ],
                &[
                    (N::NoVneidLevel2, 4),
                    (N::PortalError, 3),
                    (N::NoChipIdCard, 2),
                    (N::NoInternet, 2),
                    (N::ForgotPassword, 1),
                    (N::Refused, 1),
                ],
            ),
        };
    let result = weighted(rng, results);
    AssistDraft {
        service_key: service.key.clone(),
        level_43: levels.1.map(Level43::parse),
        level_42: levels.0.map(Level42::parse),
        dossier_code: (result == R::Submitted).then(|| dossier_code(rng, at, calendar)),
        not_finished_reason: (result == R::NotFinished).then(|| weighted(rng, reasons)),
        result,
    }
}

/// A difficulty as a volunteer would write it, for a reason a service could not be finished.
pub fn feedback_for(reason: &NotFinishedReason, place: &str) -> (FeedbackCategory, String) {
    use FeedbackCategory as C;
    match reason {
        NotFinishedReason::NoInternet => (C::Infrastructure, format!("Sóng 4G ở {place} rất yếu, nhiều lúc không tải được trang Cổng Dịch vụ công; phải ra đầu ấp mới nộp được hồ sơ.")),
        NotFinishedReason::NoSmartphone => (C::Devices, format!("Nhiều hộ ở {place} chỉ có người cao tuổi ở nhà, dùng điện thoại bàn phím, không cài được VNeID.")),
        NotFinishedReason::NoChipIdCard => (C::Procedures, format!("Một số người dân ở {place} chưa được cấp căn cước gắn chip nên chưa kích hoạt được VNeID mức độ 2; đề nghị Công an xã tổ chức cấp lưu động.")),
        NotFinishedReason::PortalError => (C::PortalIssues, "Cổng Dịch vụ công báo lỗi khi thanh toán lệ phí vào buổi chiều; mã OTP về chậm hơn 10 phút, người dân phải nộp lại hồ sơ.".to_owned()),
        NotFinishedReason::ForgotPassword | NotFinishedReason::NoVneidLevel2 => (C::DigitalSkills, "Người dân quên mật khẩu VNeID, phải đặt lại nhiều lần; cần hướng dẫn cách ghi nhớ và bảo mật mật khẩu.".to_owned()),
        _ => (C::Other, format!("Một số hộ ở {place} chưa hợp tác, cần phối hợp với trưởng ấp vận động thêm.")),
    }
}

/// Difficulties and proposals not tied to one visit.
pub const GENERAL_FEEDBACK: &[(FeedbackCategory, &str)] = &[
    (FeedbackCategory::Materials, "Cần thêm tờ rơi in chữ to, có mã QR hướng dẫn cài VNeID, để phát cho người cao tuổi."),
    (FeedbackCategory::Coordination, "Lịch trực Bộ phận một cửa trùng giờ họp tổ nhân dân tự quản; đề nghị UBND xã thống nhất lịch để đội bố trí người."),
    (FeedbackCategory::Recommendation, "Đề nghị Đoàn xã hỗ trợ 2 bộ phát wifi di động cho đội hình đi từng ngõ, gõ từng nhà ở các ấp xa."),
    (FeedbackCategory::DigitalSkills, "Người lớn tuổi ngại thao tác trên điện thoại; nên mở lớp \"Bình dân học vụ số\" vào buổi tối tại nhà văn hoá ấp."),
];

/// A kind of outreach session: where it is held, how many come, and whether it happens in a
/// hamlet (else at the commune).
pub struct SessionKindSpec {
    pub kind: SessionKind,
    pub place: &'static str,
    pub attendees: (u32, u32),
    pub in_hamlet: bool,
}

pub const SESSION_KINDS: &[SessionKindSpec] = &[
    SessionKindSpec {
        kind: SessionKind::DoorToDoorDay,
        place: "Ngày thứ Bảy tình nguyện đi từng ngõ, gõ từng nhà",
        attendees: (12, 35),
        in_hamlet: true,
    },
    SessionKindSpec {
        kind: SessionKind::CommunityMeeting,
        place: "Họp tổ nhân dân tự quản tại nhà văn hoá",
        attendees: (25, 70),
        in_hamlet: true,
    },
    SessionKindSpec {
        kind: SessionKind::OneStopShop,
        place: "Trực hướng dẫn tại Bộ phận một cửa UBND",
        attendees: (15, 45),
        in_hamlet: false,
    },
    SessionKindSpec {
        kind: SessionKind::School,
        place: "Sinh hoạt dưới cờ tại trường THCS",
        attendees: (100, 300),
        in_hamlet: false,
    },
    SessionKindSpec {
        kind: SessionKind::Online,
        place: "Livestream trên Fanpage Đoàn xã",
        attendees: (80, 250),
        in_hamlet: false,
    },
];

/// How often each of [`SESSION_KINDS`] is held.
pub const SESSION_WEIGHTS: &[u32] = &[4, 4, 3, 1, 1];

pub const MATERIALS: &[&str] = &[
    "Tờ rơi hướng dẫn cài đặt VNeID",
    "Sổ tay dịch vụ công trực tuyến",
    "Mã QR Cổng Dịch vụ công quốc gia",
    "Áp phích \"Đi từng ngõ, gõ từng nhà\"",
    "Video hướng dẫn nộp hồ sơ khai sinh trực tuyến",
];
