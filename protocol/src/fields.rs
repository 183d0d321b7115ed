//! What to call a field when a problem names it: `assists[0].dossier_code` is "Mã hồ sơ (dịch
//! vụ 1)" to a Vietnamese reader and "Dossier code (service 1)" to an English one.
//!
//! Field names are those of [`crate::validation`] problems, of the server's refusals and of the
//! apps' own forms (`code`, `server_url`). Positions in lists count from 1 for people.

/// `(path pattern, Vietnamese, English)`; `[]` stands for a position, `{n}` for that position
/// counted from 1.
const LABELS: &[(&str, &str, &str)] = &[
    // Any record.
    ("id", "Mã bản ghi", "Record id"),
    ("team_id", "Đội", "Team"),
    ("volunteer_id", "Tình nguyện viên", "Volunteer"),
    ("campaign_id", "Chiến dịch", "Campaign"),
    ("recorded", "Thời điểm ghi", "Time recorded"),
    ("hlc", "Đồng hồ đồng bộ", "Sync clock"),
    ("record_id", "Mã bản ghi", "Record id"),
    // Household.
    ("created_by", "Người tạo", "Created by"),
    ("created", "Thời điểm tạo", "Time created"),
    ("commune_code", "Xã, phường", "Commune"),
    ("hamlet_code", "Thôn, ấp", "Hamlet"),
    ("head_name", "Họ tên chủ hộ", "Head of household's name"),
    ("address_line", "Địa chỉ", "Address"),
    ("phone", "Số điện thoại", "Phone number"),
    ("members", "Số nhân khẩu", "Household members"),
    (
        "consent",
        "Đồng ý lưu thông tin liên hệ",
        "Consent to keep contact details",
    ),
    (
        "consent.given",
        "Đồng ý lưu thông tin liên hệ",
        "Consent to keep contact details",
    ),
    ("consent.method", "Cách đồng ý", "Consent method"),
    (
        "consent.recorded_by",
        "Người ghi nhận đồng ý",
        "Consent recorded by",
    ),
    (
        "consent.recorded_at",
        "Thời điểm ghi nhận đồng ý",
        "Time consent was recorded",
    ),
    ("erased", "Xoá thông tin cá nhân", "Personal data erased"),
    // Visit.
    ("household_id", "Hộ", "Household"),
    ("visit_id", "Lượt đến hộ", "Visit"),
    ("revision", "Số lần sửa", "Revision"),
    ("supersedes", "Lượt đến hộ được sửa", "Corrected visit"),
    ("outcome", "Kết quả lượt đến", "Visit outcome"),
    ("started_at", "Giờ bắt đầu", "Start time"),
    ("ended_at", "Giờ kết thúc", "End time"),
    ("people_reached", "Số người được tiếp cận", "People reached"),
    ("gps", "Vị trí GPS", "GPS position"),
    ("note", "Ghi chú", "Note"),
    ("follow_up_on", "Ngày hẹn quay lại", "Follow-up date"),
    ("assists", "Dịch vụ đã hỗ trợ", "Services helped with"),
    ("assists[]", "Dịch vụ {n}", "Service {n}"),
    (
        "assists[].id",
        "Mã hỗ trợ (dịch vụ {n})",
        "Assist id (service {n})",
    ),
    ("assists[].service_key", "Dịch vụ {n}", "Service {n}"),
    (
        "assists[].level_43",
        "Mức độ theo NĐ 43 (dịch vụ {n})",
        "Level, Decree 43 (service {n})",
    ),
    (
        "assists[].level_42",
        "Mức độ theo NĐ 42 (dịch vụ {n})",
        "Level, Decree 42 (service {n})",
    ),
    (
        "assists[].result",
        "Kết quả hỗ trợ (dịch vụ {n})",
        "Result (service {n})",
    ),
    (
        "assists[].dossier_code",
        "Mã hồ sơ (dịch vụ {n})",
        "Dossier code (service {n})",
    ),
    (
        "assists[].not_finished_reason",
        "Lý do chưa hoàn thành (dịch vụ {n})",
        "Reason not finished (service {n})",
    ),
    // Outreach session.
    ("kind", "Hình thức", "Session kind"),
    ("area_code", "Địa bàn", "Area"),
    ("place", "Địa điểm", "Place"),
    ("held_on", "Ngày tổ chức", "Date held"),
    ("attendees", "Số người tham dự", "Attendees"),
    ("materials", "Tài liệu tuyên truyền", "Outreach materials"),
    ("materials[]", "Tài liệu {n}", "Material {n}"),
    // Feedback.
    ("source", "Nguồn phản ánh", "Source"),
    ("source_id", "Nguồn phản ánh", "Source"),
    ("category", "Loại phản ánh", "Category"),
    ("text", "Nội dung", "Text"),
    // Enrolment and the sync protocol.
    ("code", "Mã đăng ký", "Enrolment code"),
    ("server_url", "Địa chỉ máy chủ", "Server address"),
    ("device_id", "Mã thiết bị", "Device id"),
    (
        "protocol_version",
        "Phiên bản giao thức",
        "Protocol version",
    ),
    // Paged lists.
    ("cursor", "Vị trí trang danh sách", "List position"),
];

/// `assists[3].result` → (`assists[].result`, Some(3)). Only the first position is kept (no
/// field has two).
fn pattern(field: &str) -> (String, Option<usize>) {
    let mut out = String::with_capacity(field.len());
    let mut position = None;
    let mut rest = field.trim();
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']').map(|c| open + c) else {
            break;
        };
        let inside = &rest[open + 1..close];
        match inside.parse::<usize>() {
            Ok(i) if inside.bytes().all(|b| b.is_ascii_digit()) => {
                position = position.or(Some(i));
                out.push_str(&rest[..open]);
                out.push_str("[]");
            }
            _ => out.push_str(&rest[..=close]),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    (out, position)
}

fn lookup(field: &str) -> Option<(String, String)> {
    let (pattern, position) = pattern(field);
    let (_, vi, en) = LABELS.iter().find(|(p, _, _)| *p == pattern)?;
    let n = position.map_or(String::new(), |i| (i + 1).to_string());
    Some((vi.replace("{n}", &n), en.replace("{n}", &n)))
}

/// The (Vietnamese, English) label of a field named by a problem; a name this version does not
/// know is returned as it is, in both.
pub fn label(field: &str) -> (String, String) {
    lookup(field).unwrap_or_else(|| (field.to_owned(), field.to_owned()))
}

/// True when `field` has a label of its own (not the name itself).
pub fn is_known(field: &str) -> bool {
    lookup(field).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_with_positions() {
        assert_eq!(
            label("assists[0].dossier_code"),
            (
                "Mã hồ sơ (dịch vụ 1)".to_owned(),
                "Dossier code (service 1)".to_owned()
            )
        );
        assert_eq!(
            label("assists[1].not_finished_reason").1,
            "Reason not finished (service 2)"
        );
        assert_eq!(label("materials[2]").0, "Tài liệu 3");
        assert_eq!(label("head_name").0, "Họ tên chủ hộ");
        assert_eq!(label("server_url").1, "Server address");
    }

    #[test]
    fn unknown_names_are_themselves() {
        for name in [
            "frobnicate",
            "assists[x].result",
            "assists[0].colour",
            "",
            "[0]",
        ] {
            assert_eq!(label(name), (name.to_owned(), name.to_owned()), "{name}");
            assert!(!is_known(name));
        }
    }

    #[test]
    fn patterns() {
        assert_eq!(pattern("assists[12].id"), ("assists[].id".into(), Some(12)));
        assert_eq!(pattern("note"), ("note".into(), None));
        assert_eq!(pattern("a[b]"), ("a[b]".into(), None));
        assert_eq!(pattern("a[1"), ("a[1".into(), None));
    }

    #[test]
    fn every_label_is_distinct_by_language_and_filled() {
        for (p, vi, en) in LABELS {
            assert!(!vi.is_empty() && !en.is_empty(), "{p}");
            assert_eq!(vi.contains("{n}"), p.contains("[]"), "{p}");
            assert_eq!(en.contains("{n}"), p.contains("[]"), "{p}");
        }
        let mut patterns: Vec<_> = LABELS.iter().map(|(p, _, _)| *p).collect();
        patterns.sort_unstable();
        patterns.dedup();
        assert_eq!(patterns.len(), LABELS.len(), "no pattern twice");
    }
}
