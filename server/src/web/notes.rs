//! Flags and audit entries in the reader's language. The server stores what happened as data
//! (a code and its parameters: [`FlagNote`], [`AuditEvent`]); the words are chosen here, when a
//! page or an export is made, so a coordinator reading in English sees English.

use super::data::indicator_label;
use super::i18n::{self, Lang};
use crate::domain::audit::AuditEvent;
use crate::domain::flags::FlagNote;
use crate::domain::quality::DossierProblem;

/// A table of labels, one row a line: the stored code, then its words in Vietnamese and English.
macro_rules! labels {
    ($($code:literal => $vi:literal, $en:literal;)*) => {
        &[$(($code, $vi, $en)),*]
    };
}

/// What each audit action code means, for the log page.
const ACTIONS: &[(&str, &str, &str)] = labels! {
    "login" => "Đăng nhập", "Signed in";
    "login_failed" => "Đăng nhập sai", "Failed sign-in";
    "login_locked" => "Tài khoản bị khoá tạm", "Account locked";
    "logout" => "Đăng xuất", "Signed out";
    "target_set" => "Giao chỉ tiêu", "Target set";
    "enrol_code" => "Cấp mã đăng ký thiết bị", "Enrolment code issued";
    "device_revoked" => "Thu hồi thiết bị", "Device revoked";
    "flag_resolved" => "Xử lý cảnh báo dữ liệu", "Data check resolved";
    "visit_deleted" => "Xoá lượt đến hộ", "Visit deleted";
    "export" => "Xuất dữ liệu", "Data exported";
    "report" => "Tải báo cáo nhanh", "Quick report downloaded";
    "household_viewed" => "Xem thông tin hộ", "Household viewed";
    "household_erased" => "Xoá thông tin cá nhân của hộ theo yêu cầu", "Household's personal data erased on request";
    // uploads
    "hamlets_imported" => "Nhập danh sách thôn, ấp", "Hamlet list imported";
    "hamlet_edited" => "Sửa thôn, ấp", "Hamlet edited";
    "service_edited" => "Sửa danh mục dịch vụ", "Service edited";
    // service guides
    "guide_saved" => "Sửa hướng dẫn dịch vụ", "Service guide saved";
    "guide_checked" => "Kiểm tra hướng dẫn dịch vụ", "Service guide checked";
    "guide_deleted" => "Xoá hướng dẫn dịch vụ", "Service guide deleted";
    "guides_loaded" => "Nạp hướng dẫn mẫu", "Starter guides loaded";
    "target_cleared" => "Bỏ chỉ tiêu", "Target removed";
    "target_sheet" => "Giao chỉ tiêu theo bảng", "Targets set by sheet";
    // units
    "unit_created" => "Tạo đơn vị", "Unit created";
    "unit_renamed" => "Đổi tên đơn vị", "Unit renamed";
    "unit_moved" => "Chuyển đơn vị", "Unit moved";
    "unit_area_changed" => "Đổi địa bàn đơn vị", "Unit's area changed";
    "unit_deactivated" => "Ngừng hoạt động đơn vị", "Unit deactivated";
    "unit_reactivated" => "Cho đơn vị hoạt động lại", "Unit reactivated";
    "setup_completed" => "Thiết lập lần đầu", "First-run set-up";
    // accounts and campaigns
    "account_created" => "Tạo tài khoản", "Account created";
    "account_renamed" => "Đổi tên tài khoản", "Account renamed";
    "password_reset" => "Đặt lại mật khẩu", "Password reset";
    "account_locked" => "Khoá tài khoản", "Account locked";
    "account_unlocked" => "Mở khoá tài khoản", "Account unlocked";
    "account_deactivated" => "Ngừng tài khoản", "Account deactivated";
    "password_changed" => "Tự đổi mật khẩu", "Own password changed";
    "login_refused" => "Từ chối đăng nhập", "Sign-in refused";
    "campaign_created" => "Tạo kế hoạch", "Campaign created";
    "campaign_edited" => "Sửa kế hoạch", "Campaign edited";
    // teams
    "team_created" => "Tạo đội", "Team created";
    "team_renamed" => "Đổi tên đội", "Team renamed";
    "team_areas_set" => "Đổi địa bàn của đội", "Team areas changed";
    "team_deactivated" => "Ngừng hoạt động đội", "Team deactivated";
    "team_reactivated" => "Cho đội hoạt động lại", "Team reactivated";
    "member_added" => "Thêm đội viên", "Member added";
    "member_renamed" => "Đổi tên đội viên", "Member renamed";
    "leader_set" => "Chọn đội trưởng", "Leader chosen";
    "member_moved" => "Chuyển đội viên sang đội khác", "Member moved";
    "member_deactivated" => "Ngừng hoạt động đội viên", "Member deactivated";
    // walk lists
    "assignment_made" => "Phân công", "Assignment made";
    "assignment_revoked" => "Thu hồi phân công", "Assignment revoked";
};

/// How a flag was (or may be) resolved.
const RESOLUTIONS: &[(&str, &str, &str)] = labels! {
    "not_a_problem" => "Không có vấn đề", "Not a problem";
    "fixed_with_team" => "Đã báo đội sửa", "Team told to fix it";
    "delete_visit" => "Xoá lượt đến hộ này", "Delete this visit";
    "erased" => "Hộ đã xoá thông tin", "Household erased";
    "deleted" => "Bản ghi đã bị xoá", "Record deleted";
};

/// What each kind of data-quality flag is.
const FLAG_KINDS: &[(&str, &str, &str)] = labels! {
    "probable_duplicate" => "Có thể trùng hộ", "Probable duplicate household";
    "clock_unset" => "Đồng hồ máy chưa đặt", "Device clock not set";
    "clock_ahead" => "Đồng hồ máy chạy trước", "Device clock ahead";
    "rapid_visits" => "Nhiều lượt đến trong thời gian quá ngắn", "Many visits in too little time";
    "outside_team_area" => "Hộ ngoài địa bàn của đội", "Household outside the team's areas";
    "dossier_code_suspect" => "Mã hồ sơ đáng ngờ", "Doubtful dossier code";
};

/// The label of `code` in `table`, or the code itself when the table does not know it.
fn label(lang: Lang, table: &[(&str, &str, &str)], code: &str) -> String {
    table
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or_else(|| code.to_owned(), |(_, vi, en)| lang.pick_owned(*vi, *en))
}

pub fn action_label(lang: Lang, action: &str) -> String {
    label(lang, ACTIONS, action)
}

pub fn resolution_label(lang: Lang, resolution: &str) -> String {
    label(lang, RESOLUTIONS, resolution)
}

pub fn flag_kind_label(lang: Lang, kind: &str) -> String {
    label(lang, FLAG_KINDS, kind)
}

/// Where an administration change was made.
fn via_label(lang: Lang, via: &str) -> &str {
    match via {
        "dashboard" => lang.pick("trên trang quản lý", "on the dashboard"),
        "cli" => lang.pick("bằng dòng lệnh", "on the command line"),
        other => other,
    }
}

/// The detail of an audit entry.
pub fn audit_detail(lang: Lang, event: &AuditEvent) -> String {
    if let Some(detail) = team_audit_detail(lang, event) {
        return detail;
    }
    match event {
        AuditEvent::Login {}
        | AuditEvent::PasswordChanged {}
        | AuditEvent::LoginFailed {}
        | AuditEvent::LoginLocked {}
        | AuditEvent::Logout {}
        | AuditEvent::HouseholdViewed {} => String::new(),
        // The code and the plain number first, as the log has always read and CSV readers match.
        AuditEvent::TargetSet { indicator, value } => format!(
            "{} = {value} ({})",
            indicator.as_str(),
            indicator_label(lang, indicator)
        ),
        AuditEvent::EnrolCode { member } => member.clone(),
        AuditEvent::DeviceRevoked { label, member } => format!("{label} ({member})"),
        AuditEvent::FlagResolved { resolution } => resolution_label(lang, resolution),
        AuditEvent::VisitDeleted { revisions } => lang.pick_owned(
            format!("{} phiên bản", i18n::number(lang, *revisions)),
            format!("{} revision(s)", i18n::number(lang, *revisions)),
        ),
        AuditEvent::Export { table, rows } => {
            let table = match table.as_str() {
                "visits" => lang.pick("lượt đến hộ", "visits"),
                "households" => lang.pick("hộ", "households"),
                other => other,
            };
            lang.pick_owned(
                format!("{} dòng {table}", i18n::number(lang, *rows)),
                format!("{} rows of {table}", i18n::number(lang, *rows)),
            )
        }
        AuditEvent::Report { from, to } => format!("{} – {}", i18n::date(*from), i18n::date(*to)),
        AuditEvent::HouseholdErased {
            via,
            visits,
            feedback,
        } => {
            let via = via_label(lang, via);
            let (visits, feedback) = (i18n::number(lang, *visits), i18n::number(lang, *feedback));
            lang.pick_owned(
                format!("{via}; {visits} lượt đến hộ, {feedback} ý kiến đã xoá nội dung"),
                format!("{via}; {visits} visit(s), {feedback} feedback text(s) blanked"),
            )
        }
        // uploads
        AuditEvent::HamletsImported {
            commune,
            new,
            changed,
        } => lang.pick_owned(
            format!(
                "xã mã {commune}: {} thôn mới, {} thôn sửa",
                i18n::number(lang, *new),
                i18n::number(lang, *changed)
            ),
            format!(
                "commune {commune}: {} new, {} changed",
                i18n::number(lang, *new),
                i18n::number(lang, *changed)
            ),
        ),
        AuditEvent::HamletEdited {
            code,
            name,
            division_type,
        } => format!("{code}: {name} ({division_type})"),
        AuditEvent::ServiceEdited { key, fields } => format!("{key}: {}", fields.join(", ")),
        AuditEvent::TargetCleared { indicator } => format!(
            "{} ({})",
            indicator.as_str(),
            indicator_label(lang, indicator)
        ),
        AuditEvent::TargetSheet { changes } => lang.pick_owned(
            format!("{} thay đổi", i18n::number(lang, *changes)),
            format!("{} change(s)", i18n::number(lang, *changes)),
        ),
        // units
        AuditEvent::UnitCreated { kind, parent, area } => {
            let mut parts = vec![lang.pick(kind.label_vi(), kind.label_en()).to_owned()];
            if let Some(p) = parent {
                parts.push(lang.pick_owned(format!("thuộc {p}"), format!("under {p}")));
            }
            if let Some(a) = area {
                parts.push(lang.pick_owned(format!("địa bàn {a}"), format!("area {a}")));
            }
            parts.join(" · ")
        }
        AuditEvent::UnitRenamed { from } => {
            lang.pick_owned(format!("tên cũ: {from}"), format!("formerly: {from}"))
        }
        AuditEvent::UnitMoved { from, to } => {
            let none = lang.pick("(cấp cao nhất)", "(top level)");
            format!("{} → {to}", from.as_deref().unwrap_or(none))
        }
        AuditEvent::UnitAreaChanged { from, to } => {
            let none = lang.pick("(không có)", "(none)");
            format!(
                "{} → {}",
                from.as_deref().unwrap_or(none),
                to.as_deref().unwrap_or(none)
            )
        }
        AuditEvent::UnitDeactivated {} | AuditEvent::UnitReactivated {} => String::new(),
        AuditEvent::SetupCompleted {
            area_list,
            areas,
            services,
        } => {
            let list = area_list.as_deref().map_or_else(
                || lang.pick_owned("không nhập danh mục địa bàn", "no area list imported"),
                |l| {
                    lang.pick_owned(
                        format!(
                            "danh mục địa bàn {l}: {} địa bàn",
                            i18n::number(lang, *areas)
                        ),
                        format!("area list {l}: {} areas", i18n::number(lang, *areas)),
                    )
                },
            );
            lang.pick_owned(
                format!("{list}; {} dịch vụ", i18n::number(lang, *services)),
                format!("{list}; {} services", i18n::number(lang, *services)),
            )
        }
        // accounts and campaigns
        AuditEvent::AccountCreated { role, unit } => {
            let role =
                crate::domain::accounts::Role::parse(role).map_or(role.as_str(), |r| r.label(lang));
            format!("{role} · {unit}")
        }
        AuditEvent::AccountRenamed { from, to } => format!("{from} → {to}"),
        AuditEvent::PasswordReset { via }
        | AuditEvent::AccountLocked { via }
        | AuditEvent::AccountUnlocked { via }
        | AuditEvent::AccountDeactivated { via } => via_label(lang, via).to_owned(),
        AuditEvent::LoginRefused { reason } => match reason.as_str() {
            "locked" => lang.pick(
                "tài khoản đang bị khoá",
                "account locked by an administrator",
            ),
            "deactivated" => lang.pick("tài khoản đã ngừng", "account deactivated"),
            other => other,
        }
        .to_owned(),
        AuditEvent::CampaignCreated { from, to, via } => format!(
            "{} – {}; {}",
            i18n::date(*from),
            i18n::date(*to),
            via_label(lang, via)
        ),
        AuditEvent::CampaignEdited {
            changed,
            targets_moved,
            via,
        } => {
            let fields: Vec<&str> = changed
                .iter()
                .map(|c| match c.as_str() {
                    "name" => lang.pick("tên", "name"),
                    "legal_reference" => lang.pick("số kế hoạch", "legal reference"),
                    "dates" => lang.pick("thời gian", "dates"),
                    "peak_windows" => lang.pick("đợt cao điểm", "peak windows"),
                    "report_deadline" => lang.pick("hạn báo cáo", "report deadline"),
                    other => other,
                })
                .collect();
            let moved = if *targets_moved > 0 {
                lang.pick_owned(
                    format!(
                        "; {} chỉ tiêu theo thời gian mới",
                        i18n::number(lang, *targets_moved)
                    ),
                    format!(
                        "; {} target(s) moved to the new dates",
                        i18n::number(lang, *targets_moved)
                    ),
                )
            } else {
                String::new()
            };
            format!("{}{moved}; {}", fields.join(", "), via_label(lang, via))
        }
        // teams: worded by `team_audit_detail`
        _ => String::new(),
    }
}

/// The detail of a teams-and-members audit entry (`None` for other entries).
fn team_audit_detail(lang: Lang, event: &AuditEvent) -> Option<String> {
    let phones = |n: u64| {
        lang.pick_owned(
            format!("{} điện thoại đã thu hồi", i18n::number(lang, n)),
            format!("{} phone(s) revoked", i18n::number(lang, n)),
        )
    };
    Some(match event {
        AuditEvent::TeamCreated { unit, areas } => format!("{unit}: {}", areas.join(", ")),
        AuditEvent::TeamRenamed { from } => {
            lang.pick_owned(format!("tên cũ: {from}"), format!("was: {from}"))
        }
        AuditEvent::TeamAreasSet { areas } => areas.join(", "),
        AuditEvent::TeamDeactivated { devices } => phones(*devices),
        AuditEvent::TeamReactivated {} => String::new(),
        AuditEvent::MemberAdded { member, leader } => {
            if *leader {
                format!("{member} ({})", lang.pick("đội trưởng", "leader"))
            } else {
                member.clone()
            }
        }
        AuditEvent::MemberRenamed { from, to } => format!("{from} → {to}"),
        AuditEvent::LeaderSet { member } => member.clone(),
        AuditEvent::MemberMoved { member, to } => format!("{member} → {to}"),
        AuditEvent::MemberDeactivated { member, devices } => {
            format!("{member}; {}", phones(*devices))
        }
        // walk lists
        AuditEvent::AssignmentMade {
            member,
            target,
            via,
        }
        | AuditEvent::AssignmentRevoked {
            member,
            target,
            via,
        } => format!("{member}: {target}; {}", via_label(lang, via)),
        // service guides
        AuditEvent::GuideSaved {
            key,
            chars,
            checked,
            via,
        } => lang.pick_owned(
            format!(
                "{key}: {} ký tự{} ({via})",
                i18n::number(lang, *chars),
                if *checked { ", đã kiểm tra" } else { "" }
            ),
            format!(
                "{key}: {} characters{} ({via})",
                i18n::number(lang, *chars),
                if *checked { ", checked" } else { "" }
            ),
        ),
        AuditEvent::GuideChecked { key, via } | AuditEvent::GuideDeleted { key, via } => {
            format!("{key} ({via})")
        }
        AuditEvent::GuidesLoaded { keys, via } => format!("{} ({via})", keys.join(", ")),
        _ => return None,
    })
}

/// The detail of a data-quality flag.
pub fn flag_detail(lang: Lang, note: &FlagNote) -> String {
    match note {
        FlagNote::ProbableDuplicate {} => lang.pick_owned(
            "Cùng xã, cùng chủ hộ và địa chỉ với một hộ khác.",
            "Same commune, head of household and address as another household.",
        ),
        FlagNote::ClockUnset { recorded } => lang.pick_owned(
            format!("Máy ghi lúc {}.", i18n::date_time(*recorded)),
            format!("The phone recorded {}.", i18n::date_time(*recorded)),
        ),
        FlagNote::ClockAhead { recorded, received } => lang.pick_owned(
            format!(
                "Máy ghi lúc {}, máy chủ nhận lúc {}.",
                i18n::date_time(*recorded),
                i18n::date_time(*received)
            ),
            format!(
                "The phone recorded {}; the server received it {}.",
                i18n::date_time(*recorded),
                i18n::date_time(*received)
            ),
        ),
        FlagNote::RapidVisits {
            seconds,
            started_at,
        } => lang.pick_owned(
            format!(
                "Hai lượt đến hai hộ khác nhau của cùng một đội viên bắt đầu cách nhau dưới {seconds} giây ({}).",
                i18n::date_time(*started_at)
            ),
            format!(
                "Two visits to different households by one volunteer started less than {seconds} seconds apart ({}).",
                i18n::date_time(*started_at)
            ),
        ),
        FlagNote::OutsideTeamArea { area } => lang.pick_owned(
            format!("Hộ ở địa bàn {area}, ngoài các địa bàn hiện giao cho đội."),
            format!("The household's area {area} is outside the team's current areas."),
        ),
        FlagNote::DossierCodeSuspect { code, problem } => lang.pick_owned(
            format!("Mã hồ sơ \"{code}\": {}.", dossier_problem(Lang::Vi, *problem)),
            format!("Dossier code \"{code}\": {}.", dossier_problem(Lang::En, *problem)),
        ),
    }
}

fn dossier_problem(lang: Lang, p: DossierProblem) -> &'static str {
    match p {
        DossierProblem::MissingParts => lang.pick(
            "mã không có đủ ba phần: mã cơ quan - ngày nộp (YYMMDD) - số thứ tự",
            "the code lacks its three parts: agency - filing date (YYMMDD) - sequence number",
        ),
        DossierProblem::BadAgencyOrSequence => lang.pick(
            "mã cơ quan hoặc số thứ tự không hợp lệ",
            "the agency code or the sequence number is not valid",
        ),
        DossierProblem::BadFilingDate => lang.pick(
            "phần ngày nộp không phải là ngày hợp lệ (YYMMDD)",
            "the filing date part is not a valid date (YYMMDD)",
        ),
        DossierProblem::FilingDateFarFromVisit => lang.pick(
            "ngày nộp trong mã cách xa ngày đến hộ",
            "the filing date in the code is far from the visit's date",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flag_reads_in_the_readers_language() {
        let note = FlagNote::DossierCodeSuspect {
            code: "X".into(),
            problem: DossierProblem::MissingParts,
        };
        assert!(flag_detail(Lang::Vi, &note).starts_with("Mã hồ sơ \"X\": mã không có đủ ba phần"));
        assert!(flag_detail(Lang::En, &note).starts_with("Dossier code \"X\": the code lacks"));
        let area = FlagNote::OutsideTeamArea {
            area: "00070".into(),
        };
        assert!(!flag_detail(Lang::En, &area).contains("Hộ"));
    }

    #[test]
    fn an_audit_entry_reads_in_the_readers_language() {
        let e = AuditEvent::Export {
            table: "visits".into(),
            rows: 1234,
        };
        assert_eq!(audit_detail(Lang::Vi, &e), "1.234 dòng lượt đến hộ");
        assert_eq!(audit_detail(Lang::En, &e), "1,234 rows of visits");
    }
}
