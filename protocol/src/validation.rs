//! Validation of field records, once, for phone and server.
//!
//! Every rule names the field it is about and says what is wrong in Vietnamese (first) and
//! English, in words a volunteer understands. Validation collects all problems of a record so the
//! app can mark every field at once.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::calendar::Calendar;
use crate::enums::*;
use crate::records::*;
use crate::reference::{AreaTree, Service};
use crate::text::phone_digits;

/// Nothing in Gõ Cửa happened before this; phones with unset clocks say 1980.
pub fn earliest_plausible() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0)
        .single()
        .expect("valid date")
}

/// Validation is relative to when the record was made (the phone already checked it then), but
/// never later than the server's clock: a phone offline for weeks is not punished, a future date
/// still is.
pub fn validation_now(recorded: DateTime<Utc>, server_now: DateTime<Utc>) -> DateTime<Utc> {
    recorded.max(earliest_plausible()).min(server_now)
}

/// How far back a visit or session may be entered (paper forms typed in later).
pub const MAX_BACKDATE_DAYS: i64 = 180;
/// How far ahead of the phone's clock a time may be (time zones, a slightly fast clock).
pub const MAX_AHEAD_HOURS: i64 = 24;
pub const MAX_VISIT_HOURS: i64 = 12;
pub const MAX_HOUSEHOLD_MEMBERS: u16 = 50;
pub const MAX_PEOPLE_PER_VISIT: u16 = 50;
pub const MAX_SESSION_ATTENDEES: u32 = 5_000;
pub const MAX_FOLLOW_UP_DAYS: i64 = 365;
pub const MAX_NAME_CHARS: usize = 120;
pub const MAX_ADDRESS_CHARS: usize = 200;
pub const MAX_NOTE_CHARS: usize = 1_000;
pub const MAX_FEEDBACK_CHARS: usize = 2_000;
pub const MAX_DOSSIER_CODE_CHARS: usize = 40;
pub const MAX_ASSISTS_PER_VISIT: usize = 20;
/// Materials handed out at one session (leaflets, posters): a short list typed on a phone.
pub const MAX_MATERIALS_PER_SESSION: usize = 50;

/// Characters no text field may hold: control characters (NUL, escape, …; line breaks and tabs
/// only in notes and feedback) and the invisible marks that reorder text on screen (bidi
/// embeddings, overrides and isolates, U+202A–U+202E and U+2066–U+2069, and the direction marks
/// U+200E, U+200F, U+061C), which make a name or an address read differently from what is
/// stored. Vietnamese text never needs them; the phone's text tidying removes line breaks and
/// tabs from one-line fields on save.
pub fn forbidden_char(c: char, multi_line: bool) -> bool {
    match c {
        '\n' | '\r' | '\t' => !multi_line,
        '\u{061C}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' => true,
        // Line and paragraph separators break a line like `\n` does.
        '\u{2028}' | '\u{2029}' => !multi_line,
        c => c.is_control(),
    }
}

/// The form rules of a visit's outcome: one home for each, used by validation below and by the
/// apps to show or hide fields.
impl VisitOutcome {
    /// Only meeting the household reaches people: otherwise people reached must be 0.
    pub fn reaches_people(&self) -> bool {
        *self == VisitOutcome::Met
    }

    /// What a new form starts with for people reached: 1 when met, else 0.
    pub fn default_people_reached(&self) -> u16 {
        u16::from(self.reaches_people())
    }

    /// Services helped with are recorded only when the household was met.
    pub fn allows_assists(&self) -> bool {
        self.reaches_people()
    }
}

/// The form rules of an assisted service's result.
impl AssistResult {
    /// A submitted dossier needs its dossier code.
    pub fn needs_dossier_code(&self) -> bool {
        *self == AssistResult::Submitted
    }

    /// A service that could not be finished needs the reason (and only then is one given).
    pub fn needs_reason(&self) -> bool {
        *self == AssistResult::NotFinished
    }
}

/// Declares [`ValidationCode`] from one table `Variant => "machine_code"`, so that the enum, its
/// codes and the list of every code cannot drift apart.
macro_rules! validation_codes {
    ($($variant:ident => $code:literal,)+) => {
        /// What kind of problem a field has; stable machine codes for apps and the server.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum ValidationCode {
            $($variant,)+
        }

        impl ValidationCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ValidationCode] = &[$(ValidationCode::$variant,)+];

            pub fn as_str(&self) -> &'static str {
                match self {
                    $(ValidationCode::$variant => $code,)+
                }
            }
        }
    };
}

validation_codes! {
    Required => "required",
    TooLong => "too_long",
    OutOfRange => "out_of_range",
    InvalidFormat => "invalid_format",
    TooFarInPast => "too_far_in_past",
    InFuture => "in_future",
    EndBeforeStart => "end_before_start",
    UnknownValue => "unknown_value",
    UnknownService => "unknown_service",
    UnknownArea => "unknown_area",
    OutsideTeamArea => "outside_team_area",
    NotYourTeam => "not_your_team",
    ConsentRequired => "consent_required",
    Inconsistent => "inconsistent",
    TooManyItems => "too_many_items",
    InvalidCharacter => "invalid_character",
    // Walk lists (protocol/src/assignment.rs).
    AssigneeNotInTeam => "assignee_not_in_team",
    AreaOutsideTeam => "area_outside_team",
    HouseholdNotInTeam => "household_not_in_team",
    AssignerNotLeader => "assigner_not_leader",
    CampaignNotRunning => "campaign_not_running",
}

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationError {
    /// Path of the field, e.g. `head_name` or `assists[1].dossier_code`.
    pub field: String,
    pub code: ValidationCode,
    pub message_vi: String,
    pub message_en: String,
}

/// All problems of one record. Never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationErrors(pub Vec<ValidationError>);

impl ValidationErrors {
    pub fn first(&self) -> &ValidationError {
        &self.0[0]
    }
    pub fn has(&self, field: &str, code: ValidationCode) -> bool {
        self.0.iter().any(|e| e.field == field && e.code == code)
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {} ({})", e.field, e.message_en, e.code.as_str())?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// What a record is checked against. Parts left `None` are not checked (e.g. before reference
/// data has been downloaded the server still checks them).
pub struct ValidationContext<'a> {
    /// The checking side's clock.
    pub now: DateTime<Utc>,
    pub services: Option<&'a BTreeMap<&'a str, &'a Service>>,
    pub areas: Option<&'a AreaTree>,
    /// The team the record must belong to, and the areas it works in.
    pub team: Option<(Uuid, &'a [String])>,
    /// Whose days "the day of the visit" and "the day held" are.
    pub calendar: Calendar,
}

impl<'a> ValidationContext<'a> {
    pub fn at(now: DateTime<Utc>) -> Self {
        ValidationContext {
            now,
            services: None,
            areas: None,
            team: None,
            calendar: Calendar::default(),
        }
    }
}

#[derive(Default)]
struct Problems(Vec<ValidationError>);

impl Problems {
    fn add(
        &mut self,
        field: impl Into<String>,
        code: ValidationCode,
        vi: impl Into<String>,
        en: impl Into<String>,
    ) {
        self.0.push(ValidationError {
            field: field.into(),
            code,
            message_vi: vi.into(),
            message_en: en.into(),
        });
    }

    fn required_text(&mut self, field: &str, value: &str, vi: &str, en: &str, max: usize) {
        if value.trim().is_empty() {
            self.add(
                field,
                ValidationCode::Required,
                format!("Cần nhập {vi}."),
                format!("{en} is required."),
            );
        } else {
            self.max_len(field, value, vi, en, max);
        }
    }

    /// A one-line text field: at most `max` characters, none of them [forbidden](forbidden_char).
    fn max_len(&mut self, field: &str, value: &str, vi: &str, en: &str, max: usize) {
        self.text(field, value, vi, en, max, false);
    }

    /// A text field that may span lines (notes, feedback).
    fn max_len_multi_line(&mut self, field: &str, value: &str, vi: &str, en: &str, max: usize) {
        self.text(field, value, vi, en, max, true);
    }

    fn text(&mut self, field: &str, value: &str, vi: &str, en: &str, max: usize, multi_line: bool) {
        // Counting stops past the limit: a huge value costs no more than a long one.
        if value.chars().take(max + 1).count() > max {
            self.add(
                field,
                ValidationCode::TooLong,
                format!("{} quá dài (tối đa {max} ký tự).", capitalise(vi)),
                format!("{en} is too long (at most {max} characters)."),
            );
        }
        if value.chars().any(|c| forbidden_char(c, multi_line)) {
            self.add(
                field,
                ValidationCode::InvalidCharacter,
                format!(
                    "{} có ký tự ẩn hoặc ký tự điều khiển không được phép (có thể do dán từ nơi khác); hãy xoá và gõ lại.",
                    capitalise(vi)
                ),
                format!(
                    "{en} contains a hidden or control character that is not allowed (perhaps pasted from elsewhere); delete it and type it again."
                ),
            );
        }
    }

    fn known<T: fmt::Display>(&mut self, field: &str, known: bool, value: &T, vi: &str, en: &str) {
        if !known {
            self.add(
                field,
                ValidationCode::UnknownValue,
                format!("{} \"{value}\" không hợp lệ; hãy chọn lại.", capitalise(vi)),
                format!("{en} \"{value}\" is not a valid choice; choose again."),
            );
        }
    }

    fn id(&mut self, field: &str, id: Uuid, vi: &str, en: &str) {
        if id.is_nil() {
            self.add(
                field,
                ValidationCode::Required,
                format!("Thiếu {vi}."),
                format!("{en} is missing."),
            );
        }
    }

    fn time_in_range(
        &mut self,
        field: &str,
        t: DateTime<Utc>,
        now: DateTime<Utc>,
        vi: &str,
        en: &str,
    ) {
        if t < earliest_plausible() {
            self.add(
                field,
                ValidationCode::TooFarInPast,
                format!("{} ({}) trước năm 2020: ngày giờ của điện thoại có thể bị sai, hãy kiểm tra Cài đặt.", capitalise(vi), t.format("%d/%m/%Y")),
                format!("{en} ({}) is before 2020: the phone's date may be wrong, check Settings.", t.format("%Y-%m-%d")),
            );
        } else if t < now - Duration::days(MAX_BACKDATE_DAYS) {
            self.add(
                field,
                ValidationCode::TooFarInPast,
                format!("{} cách đây hơn {MAX_BACKDATE_DAYS} ngày.", capitalise(vi)),
                format!("{en} is more than {MAX_BACKDATE_DAYS} days ago."),
            );
        } else if t > now + Duration::hours(MAX_AHEAD_HOURS) {
            self.add(
                field,
                ValidationCode::InFuture,
                format!("{} ở trong tương lai.", capitalise(vi)),
                format!("{en} is in the future."),
            );
        }
    }

    fn finish(self) -> Result<(), ValidationErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(self.0))
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Checks where a record is: a known area, inside the team's areas. `field` names the area field.
fn check_area(p: &mut Problems, ctx: &ValidationContext<'_>, field: &str, code: &str) {
    if let Some(tree) = ctx.areas {
        if !tree.contains(code) {
            p.add(
                field,
                ValidationCode::UnknownArea,
                format!("Không tìm thấy địa bàn mã \"{code}\" trong danh mục; hãy đồng bộ để tải danh mục mới."),
                format!("Area code \"{code}\" is not in the area list; sync to download the latest list."),
            );
            return;
        }
        if let Some((_, scope)) = ctx.team {
            if !tree.is_within_any(code, scope) {
                p.add(
                    field,
                    ValidationCode::OutsideTeamArea,
                    "Địa bàn này không thuộc phạm vi phụ trách của đội.",
                    "This area is outside your team's areas.",
                );
            }
        }
    }
}

fn check_team(p: &mut Problems, ctx: &ValidationContext<'_>, team_id: Uuid) {
    p.id("team_id", team_id, "đội", "Team");
    if let Some((mine, _)) = ctx.team {
        if !team_id.is_nil() && team_id != mine {
            p.add(
                "team_id",
                ValidationCode::NotYourTeam,
                "Bản ghi thuộc một đội khác, không phải đội của bạn.",
                "The record belongs to another team, not yours.",
            );
        }
    }
}

pub fn validate_household(
    h: &Household,
    ctx: &ValidationContext<'_>,
) -> Result<(), ValidationErrors> {
    let mut p = Problems::default();
    p.id("id", h.id, "mã hộ", "Household id");
    p.id("created_by", h.created_by, "người tạo", "Creator");
    check_team(&mut p, ctx, h.team_id);
    if h.commune_code.trim().is_empty() {
        p.add(
            "commune_code",
            ValidationCode::Required,
            "Cần chọn xã, phường.",
            "Choose the commune.",
        );
    } else if let Some(tree) = ctx.areas {
        if !tree.contains(&h.commune_code) {
            check_area(&mut p, ctx, "commune_code", &h.commune_code);
        } else if tree.level(&h.commune_code) != Some(&AreaLevel::Commune) {
            p.add(
                "commune_code",
                ValidationCode::Inconsistent,
                "Mã địa bàn đã chọn không phải là một xã, phường.",
                "The chosen area is not a commune.",
            );
        } else if let Some(hamlet) = &h.hamlet_code {
            if !tree.contains(hamlet) {
                check_area(&mut p, ctx, "hamlet_code", hamlet);
            } else if !tree.is_within(hamlet, &h.commune_code) || hamlet == &h.commune_code {
                p.add(
                    "hamlet_code",
                    ValidationCode::Inconsistent,
                    "Thôn, ấp đã chọn không thuộc xã, phường này.",
                    "The chosen hamlet is not in this commune.",
                );
            } else {
                check_area(&mut p, ctx, "hamlet_code", hamlet);
            }
        } else {
            check_area(&mut p, ctx, "commune_code", &h.commune_code);
        }
    }
    if !h.erased {
        p.required_text(
            "head_name",
            &h.head_name,
            "họ tên chủ hộ",
            "Head of household's name",
            MAX_NAME_CHARS,
        );
        p.max_len(
            "address_line",
            &h.address_line,
            "địa chỉ",
            "Address",
            MAX_ADDRESS_CHARS,
        );
    }
    if h.members == 0 || h.members > MAX_HOUSEHOLD_MEMBERS {
        p.add(
            "members",
            ValidationCode::OutOfRange,
            format!("Số nhân khẩu phải từ 1 đến {MAX_HOUSEHOLD_MEMBERS}."),
            format!("Household members must be between 1 and {MAX_HOUSEHOLD_MEMBERS}."),
        );
    }
    if let Some(phone) = &h.phone {
        let digits = phone_digits(phone);
        let shape_ok = phone
            .chars()
            .all(|c| c.is_ascii_digit() || " .-+()".contains(c));
        if !shape_ok || !(9..=11).contains(&digits.len()) || !digits.starts_with('0') {
            p.add(
                "phone",
                ValidationCode::InvalidFormat,
                "Số điện thoại không đúng (ví dụ đúng: 0912 345 678).",
                "The phone number is not valid (example: 0912 345 678).",
            );
        }
        if !h.has_contact_consent() {
            p.add(
                "phone",
                ValidationCode::ConsentRequired,
                "Chỉ lưu số điện thoại khi người dân đồng ý; hãy hỏi và đánh dấu sự đồng ý.",
                "Keep a phone number only with the person's consent; ask and record it.",
            );
        }
    }
    if let Some(c) = &h.consent {
        p.known(
            "consent.method",
            c.method.is_known(),
            &c.method,
            "cách đồng ý",
            "Consent method",
        );
        p.id(
            "consent.recorded_by",
            c.recorded_by,
            "người ghi nhận đồng ý",
            "Consent recorder",
        );
    }
    p.finish()
}

pub fn validate_visit(v: &Visit, ctx: &ValidationContext<'_>) -> Result<(), ValidationErrors> {
    let mut p = Problems::default();
    p.id("id", v.id, "mã lượt đến hộ", "Visit id");
    p.id("household_id", v.household_id, "hộ", "Household");
    p.id(
        "volunteer_id",
        v.volunteer_id,
        "tình nguyện viên",
        "Volunteer",
    );
    check_team(&mut p, ctx, v.team_id);
    if v.revision == 0 || (v.revision == 1) != v.supersedes.is_none() {
        p.add(
            "revision",
            ValidationCode::Inconsistent,
            "Số lần sửa không khớp với bản ghi được sửa.",
            "The revision number does not match the record it corrects.",
        );
    }
    p.known(
        "outcome",
        v.outcome.is_known(),
        &v.outcome,
        "kết quả lượt đến",
        "Visit outcome",
    );
    p.time_in_range(
        "started_at",
        v.started_at,
        ctx.now,
        "giờ bắt đầu",
        "Start time",
    );
    if let Some(end) = v.ended_at {
        if end < v.started_at {
            p.add(
                "ended_at",
                ValidationCode::EndBeforeStart,
                "Giờ kết thúc trước giờ bắt đầu.",
                "The end time is before the start time.",
            );
        } else if end - v.started_at > Duration::hours(MAX_VISIT_HOURS) {
            p.add(
                "ended_at",
                ValidationCode::OutOfRange,
                format!("Một lượt đến hộ không kéo dài quá {MAX_VISIT_HOURS} giờ."),
                format!("A visit does not last more than {MAX_VISIT_HOURS} hours."),
            );
        } else if end > ctx.now + Duration::hours(MAX_AHEAD_HOURS) {
            p.add(
                "ended_at",
                ValidationCode::InFuture,
                "Giờ kết thúc ở trong tương lai.",
                "The end time is in the future.",
            );
        }
    }
    if v.people_reached > MAX_PEOPLE_PER_VISIT {
        p.add(
            "people_reached",
            ValidationCode::OutOfRange,
            format!("Số người được tiếp cận trong một hộ tối đa {MAX_PEOPLE_PER_VISIT}."),
            format!("People reached in one household is at most {MAX_PEOPLE_PER_VISIT}."),
        );
    }
    let met = v.outcome.reaches_people();
    if met && v.people_reached == 0 {
        p.add(
            "people_reached",
            ValidationCode::OutOfRange,
            "Đã gặp được hộ thì số người được tiếp cận ít nhất là 1.",
            "When you met the household, at least 1 person was reached.",
        );
    }
    if !met && v.outcome.is_known() && v.people_reached > 0 {
        p.add(
            "people_reached",
            ValidationCode::Inconsistent,
            "Không gặp được hộ thì không có người được tiếp cận.",
            "Nobody was reached when the household was not met.",
        );
    }
    if !v.outcome.allows_assists() && !v.assists.is_empty() {
        p.add(
            "assists",
            ValidationCode::Inconsistent,
            "Chỉ ghi dịch vụ đã hỗ trợ khi gặp được hộ.",
            "Record services only when you met the household.",
        );
    }
    if v.assists.len() > MAX_ASSISTS_PER_VISIT {
        p.add(
            "assists",
            ValidationCode::OutOfRange,
            format!("Tối đa {MAX_ASSISTS_PER_VISIT} dịch vụ trong một lượt."),
            format!("At most {MAX_ASSISTS_PER_VISIT} services per visit."),
        );
    }
    if let Some(g) = v.gps {
        let ok = (-90.0..=90.0).contains(&g.lat)
            && (-180.0..=180.0).contains(&g.lon)
            && g.accuracy_m.is_finite()
            && (0.0..=50_000.0).contains(&g.accuracy_m);
        if !ok {
            p.add(
                "gps",
                ValidationCode::OutOfRange,
                "Toạ độ GPS không hợp lệ.",
                "The GPS position is not valid.",
            );
        }
    }
    if let Some(note) = &v.note {
        p.max_len_multi_line("note", note, "ghi chú", "Note", MAX_NOTE_CHARS);
    }
    if let Some(f) = v.follow_up_on {
        let visit_day = ctx.calendar.day_of(v.started_at);
        if f < visit_day {
            p.add(
                "follow_up_on",
                ValidationCode::TooFarInPast,
                "Ngày hẹn quay lại phải sau ngày đến hộ.",
                "The follow-up date must be after the visit.",
            );
        } else if f - visit_day > Duration::days(MAX_FOLLOW_UP_DAYS) {
            p.add(
                "follow_up_on",
                ValidationCode::InFuture,
                "Ngày hẹn quay lại quá xa (tối đa 1 năm).",
                "The follow-up date is too far ahead (at most a year).",
            );
        }
    }
    for (i, a) in v.assists.iter().enumerate() {
        if v.assists[..i].iter().any(|earlier| earlier.id == a.id) {
            p.add(
                format!("assists[{i}].id"),
                ValidationCode::Inconsistent,
                "Hai dịch vụ trong cùng một lượt có cùng mã.",
                "Two services of the same visit have the same id.",
            );
        }
        validate_assist(&mut p, ctx, &format!("assists[{i}]"), a);
    }
    p.finish()
}

fn validate_assist(p: &mut Problems, ctx: &ValidationContext<'_>, at: &str, a: &Assist) {
    let f = |name: &str| format!("{at}.{name}");
    p.id(&f("id"), a.id, "mã hỗ trợ", "Assist id");
    if a.service_key.trim().is_empty() {
        p.add(
            f("service_key"),
            ValidationCode::Required,
            "Cần chọn dịch vụ đã hỗ trợ.",
            "Choose the service you helped with.",
        );
    } else if let Some(services) = ctx.services {
        match services.get(a.service_key.as_str()) {
            Some(s) if s.active => {}
            // A volunteer reads these: the service's name when it is known, never its key.
            Some(s) => p.add(
                f("service_key"),
                ValidationCode::UnknownService,
                format!(
                    "Dịch vụ \"{}\" đã bị ngừng trong danh mục; hãy đồng bộ rồi chọn dịch vụ khác.",
                    s.name_vi
                ),
                format!(
                    "Service \"{}\" was withdrawn from the catalogue; sync, then choose another service.",
                    s.name_en
                ),
            ),
            None => p.add(
                f("service_key"),
                ValidationCode::UnknownService,
                "Dịch vụ này không có trong danh mục; hãy đồng bộ hoặc chọn dịch vụ khác.",
                "This service is not in the catalogue; sync or choose another service.",
            ),
        }
    }
    if let Some(l) = &a.level_43 {
        p.known(
            &f("level_43"),
            l.is_known(),
            l,
            "mức độ (NĐ 43)",
            "Level (Decree 43)",
        );
    }
    if let Some(l) = &a.level_42 {
        p.known(
            &f("level_42"),
            l.is_known(),
            l,
            "mức độ (NĐ 42)",
            "Level (Decree 42)",
        );
    }
    p.known(
        &f("result"),
        a.result.is_known(),
        &a.result,
        "kết quả hỗ trợ",
        "Result",
    );
    match (a.result.needs_reason(), &a.not_finished_reason) {
        (true, None) => p.add(
            f("not_finished_reason"),
            ValidationCode::Required,
            "Cần chọn lý do chưa hoàn thành.",
            "Choose why it could not be finished.",
        ),
        (true, Some(r)) => p.known(
            &f("not_finished_reason"),
            r.is_known(),
            r,
            "lý do",
            "Reason",
        ),
        (false, Some(_)) => p.add(
            f("not_finished_reason"),
            ValidationCode::Inconsistent,
            "Chỉ ghi lý do khi chưa hoàn thành được.",
            "Give a reason only when it could not be finished.",
        ),
        (false, None) => {}
    }
    match &a.dossier_code {
        None if a.result.needs_dossier_code() => p.add(
            f("dossier_code"),
            ValidationCode::Required,
            "Đã nộp hồ sơ thì cần nhập mã hồ sơ.",
            "A submitted dossier needs its dossier code.",
        ),
        Some(code) => {
            let code = code.trim();
            if code.is_empty() {
                p.add(
                    f("dossier_code"),
                    ValidationCode::Required,
                    "Mã hồ sơ đang để trống.",
                    "The dossier code is empty.",
                );
            } else if code.chars().count() > MAX_DOSSIER_CODE_CHARS
                || !code
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-./_".contains(c))
            {
                p.add(
                    f("dossier_code"),
                    ValidationCode::InvalidFormat,
                    format!("Mã hồ sơ chỉ gồm chữ, số và các dấu - . / _ (tối đa {MAX_DOSSIER_CODE_CHARS} ký tự)."),
                    format!("A dossier code has only letters, digits and - . / _ (at most {MAX_DOSSIER_CODE_CHARS} characters)."),
                );
            }
        }
        None => {}
    }
}

pub fn validate_session(
    s: &OutreachSession,
    ctx: &ValidationContext<'_>,
) -> Result<(), ValidationErrors> {
    let mut p = Problems::default();
    p.id("id", s.id, "mã buổi", "Session id");
    p.id(
        "volunteer_id",
        s.volunteer_id,
        "tình nguyện viên",
        "Volunteer",
    );
    check_team(&mut p, ctx, s.team_id);
    p.known(
        "kind",
        s.kind.is_known(),
        &s.kind,
        "hình thức",
        "Session kind",
    );
    if s.area_code.trim().is_empty() {
        p.add(
            "area_code",
            ValidationCode::Required,
            "Cần chọn địa bàn tổ chức.",
            "Choose where it was held.",
        );
    } else {
        check_area(&mut p, ctx, "area_code", &s.area_code);
    }
    p.required_text("place", &s.place, "địa điểm", "Place", MAX_ADDRESS_CHARS);
    p.time_in_range(
        "held_on",
        ctx.calendar.start_of(s.held_on),
        ctx.now,
        "ngày tổ chức",
        "Date held",
    );
    if s.attendees > MAX_SESSION_ATTENDEES {
        p.add(
            "attendees",
            ValidationCode::OutOfRange,
            format!("Số người dự tối đa {MAX_SESSION_ATTENDEES}."),
            format!("Attendees are at most {MAX_SESSION_ATTENDEES}."),
        );
    }
    if s.materials.len() > MAX_MATERIALS_PER_SESSION {
        // Not each of them checked as well: the one problem is the length of the list.
        p.add(
            "materials",
            ValidationCode::TooManyItems,
            format!(
                "Tối đa {MAX_MATERIALS_PER_SESSION} tài liệu cho một buổi (đang có {}); hãy bỏ bớt.",
                s.materials.len()
            ),
            format!(
                "At most {MAX_MATERIALS_PER_SESSION} materials per session ({} given); remove some.",
                s.materials.len()
            ),
        );
    } else {
        for (i, m) in s.materials.iter().enumerate() {
            p.max_len(
                &format!("materials[{i}]"),
                m,
                "tên tài liệu",
                "Material name",
                MAX_NAME_CHARS,
            );
        }
    }
    if let Some(note) = &s.note {
        p.max_len_multi_line("note", note, "ghi chú", "Note", MAX_NOTE_CHARS);
    }
    p.finish()
}

pub fn validate_feedback(
    f: &Feedback,
    ctx: &ValidationContext<'_>,
) -> Result<(), ValidationErrors> {
    let mut p = Problems::default();
    p.id("id", f.id, "mã phản ánh", "Feedback id");
    p.id(
        "volunteer_id",
        f.volunteer_id,
        "tình nguyện viên",
        "Volunteer",
    );
    check_team(&mut p, ctx, f.team_id);
    p.known(
        "category",
        f.category.is_known(),
        &f.category,
        "loại phản ánh",
        "Category",
    );
    if f.text.trim().is_empty() {
        p.required_text("text", &f.text, "nội dung", "Text", MAX_FEEDBACK_CHARS);
    } else {
        p.max_len_multi_line("text", &f.text, "nội dung", "Text", MAX_FEEDBACK_CHARS);
    }
    if let Some(area) = &f.area_code {
        check_area(&mut p, ctx, "area_code", area);
    }
    p.finish()
}
