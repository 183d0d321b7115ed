//! The closed vocabularies of field work, as open enums (see [`crate::open_enum`]).

use crate::open_enum;

open_enum! {
    /// What happened at the door.
    pub enum VisitOutcome {
        Met = "met" => ("Gặp được hộ", "Met the household"),
        NotHome = "not_home" => ("Không có nhà", "Nobody home"),
        Refused = "refused" => ("Từ chối", "Refused"),
        MovedAway = "moved_away" => ("Đã chuyển đi", "Moved away"),
        Other = "other" => ("Khác", "Other"),
    }
}

open_enum! {
    /// How far an assisted service got.
    pub enum AssistResult {
        CompletedOnline = "completed_online" => ("Hoàn thành trực tuyến", "Completed online"),
        Submitted = "submitted" => ("Đã nộp hồ sơ (có mã hồ sơ)", "Submitted (dossier code)"),
        GuidedOnly = "guided_only" => ("Chỉ hướng dẫn", "Guided only"),
        NotFinished = "not_finished" => ("Chưa hoàn thành được", "Could not finish"),
    }
}

open_enum! {
    /// Why an assisted service could not be finished.
    pub enum NotFinishedReason {
        NoSmartphone = "no_smartphone" => ("Không có điện thoại thông minh", "No smartphone"),
        NoInternet = "no_internet" => ("Không có internet", "No internet"),
        NoChipIdCard = "no_chip_id_card" => ("Chưa có căn cước gắn chip", "No chip ID card"),
        NoVneidLevel2 = "no_vneid_level2" => ("Chưa có tài khoản VNeID mức 2", "No VNeID level-2 account"),
        ForgotPassword = "forgot_password" => ("Quên mật khẩu", "Forgot password"),
        PortalError = "portal_error" => ("Cổng dịch vụ công bị lỗi", "Portal error"),
        Refused = "refused" => ("Người dân từ chối", "Refused"),
        Other = "other" => ("Lý do khác", "Other reason"),
    }
}

open_enum! {
    /// Service levels of Decree 43/2011 (the 2021 letter speaks of "mức độ 4").
    pub enum Level43 {
        Level1 = "1" => ("Mức độ 1 (thông tin)", "Level 1 (information)"),
        Level2 = "2" => ("Mức độ 2 (tải biểu mẫu)", "Level 2 (download forms)"),
        Level3 = "3" => ("Mức độ 3 (nộp trực tuyến)", "Level 3 (submit online)"),
        Level4 = "4" => ("Mức độ 4 (nộp, thanh toán, nhận kết quả trực tuyến)", "Level 4 (submit, pay and receive online)"),
    }
}

open_enum! {
    /// Service levels of Decree 42/2022 (current).
    pub enum Level42 {
        ToanTrinh = "toan_trinh" => ("Toàn trình", "Whole procedure online"),
        MotPhan = "mot_phan" => ("Một phần", "Partly online"),
    }
}

open_enum! {
    /// What a catalogue entry is; non-procedure help counts too.
    pub enum ServiceKind {
        Procedure = "procedure" => ("Thủ tục hành chính", "Administrative procedure"),
        VneidActivation = "vneid_activation" => ("Kích hoạt VNeID", "VNeID activation"),
        PortalAccount = "portal_account" => ("Tài khoản Cổng DVC", "Public service portal account"),
        OnlinePayment = "online_payment" => ("Thanh toán trực tuyến", "Online payment"),
        Other = "other" => ("Hỗ trợ khác", "Other help"),
    }
}

open_enum! {
    /// Kinds of outreach session (buổi tuyên truyền, tư vấn).
    pub enum SessionKind {
        OneStopShop = "one_stop_shop" => ("Trực tại Bộ phận một cửa", "One-stop-shop duty"),
        DoorToDoorDay = "door_to_door_day" => ("Ngày đi từng ngõ, gõ từng nhà", "Door-to-door day"),
        CommunityMeeting = "community_meeting" => ("Họp tổ dân phố, thôn, ấp, hội đoàn thể", "Hamlet or association meeting"),
        School = "school" => ("Trường học", "School"),
        Online = "online" => ("Trực tuyến, livestream", "Online or livestream"),
    }
}

open_enum! {
    /// Categories of difficulties, obstacles and recommendations.
    pub enum FeedbackCategory {
        Infrastructure = "infrastructure" => ("Hạ tầng, mạng internet", "Infrastructure, internet"),
        Devices = "devices" => ("Thiết bị của người dân", "People's devices"),
        DigitalSkills = "digital_skills" => ("Kỹ năng số của người dân", "People's digital skills"),
        PortalIssues = "portal_issues" => ("Lỗi cổng dịch vụ công", "Portal problems"),
        Procedures = "procedures" => ("Thủ tục, giấy tờ", "Procedures and papers"),
        Coordination = "coordination" => ("Phối hợp giữa các đơn vị", "Coordination between units"),
        Materials = "materials" => ("Tài liệu tuyên truyền", "Outreach materials"),
        Recommendation = "recommendation" => ("Kiến nghị, đề xuất", "Recommendation"),
        Other = "other" => ("Khác", "Other"),
    }
}

open_enum! {
    /// Level of a unit in the area tree. Hamlets are not administrative levels but live in the same
    /// tree, under their commune.
    pub enum AreaLevel {
        Province = "province" => ("Tỉnh, thành phố", "Province"),
        District = "district" => ("Quận, huyện", "District"),
        Commune = "commune" => ("Xã, phường, đặc khu", "Commune"),
        Hamlet = "hamlet" => ("Thôn, ấp, bản, tổ dân phố", "Hamlet"),
    }
}

open_enum! {
    /// Kinds of Youth Union organisation unit.
    pub enum OrgUnitKind {
        ProvinceUnion = "province_union" => ("Tỉnh Đoàn", "Provincial union"),
        DistrictUnion = "district_union" => ("Huyện Đoàn, Thành Đoàn", "District or city union"),
        AgencyUnion = "agency_union" => ("Đoàn Khối", "Agency-enterprise union"),
        PoliceUnion = "police_union" => ("Đoàn Công an", "Police union"),
        SchoolUnion = "school_union" => ("Đoàn trường", "School union"),
        CommuneUnion = "commune_union" => ("Đoàn xã, phường", "Commune union"),
        Other = "other" => ("Đơn vị khác", "Other unit"),
    }
}

open_enum! {
    /// Role of a volunteer in a team.
    pub enum MemberRole {
        Leader = "leader" => ("Đội trưởng", "Team leader"),
        Member = "member" => ("Đội viên", "Member"),
    }
}

open_enum! {
    /// What a target (chỉ tiêu) counts.
    pub enum Indicator {
        Sessions = "sessions" => ("Buổi tuyên truyền, tư vấn", "Outreach sessions"),
        PeopleReached = "people_reached" => ("Lượt người được tiếp cận", "People reached"),
        HouseholdsVisited = "households_visited" => ("Hộ được đến", "Households visited"),
        ServicesSupported = "services_supported" => ("Hồ sơ DVC trực tuyến được hỗ trợ", "Online services supported"),
        ServicesToanTrinh = "services_toan_trinh" => ("Hồ sơ DVC toàn trình", "Whole-procedure online services"),
        ServicesLevel4 = "services_level4" => ("Hồ sơ DVC mức độ 4", "Level-4 online services"),
        VneidActivations = "vneid_activations" => ("Tài khoản VNeID được kích hoạt", "VNeID accounts activated"),
        HamletsCovered = "hamlets_covered" => ("Thôn, ấp được phủ", "Hamlets covered"),
    }
}

open_enum! {
    /// How consent was given; kept so it is verifiable later.
    pub enum ConsentMethod {
        Verbal = "verbal" => ("Đồng ý bằng lời, có người làm chứng", "Verbal, witnessed"),
        Signed = "signed" => ("Ký xác nhận", "Signed"),
        InApp = "in_app" => ("Tự xác nhận trên điện thoại", "Confirmed on the phone"),
    }
}

open_enum! {
    /// Kinds of record a phone uploads.
    pub enum RecordKind {
        Household = "household" => ("Hộ gia đình", "Household"),
        Visit = "visit" => ("Lượt đến hộ", "Visit"),
        OutreachSession = "outreach_session" => ("Buổi tuyên truyền", "Outreach session"),
        Feedback = "feedback" => ("Khó khăn, kiến nghị", "Feedback"),
        Assignment = "assignment" => ("Phân công", "Assignment"),
    }
}

open_enum! {
    /// The server's verdict on one uploaded record.
    pub enum RecordStatus {
        Accepted = "accepted" => ("Đã nhận", "Accepted"),
        Duplicate = "duplicate" => ("Đã có trên máy chủ", "Already on the server"),
        Rejected = "rejected" => ("Bị từ chối", "Rejected"),
        Conflict = "conflict" => ("Xung đột dữ liệu", "Conflict"),
        Deleted = "deleted" => ("Đã bị xoá trên máy chủ", "Deleted on the server"),
    }
}
