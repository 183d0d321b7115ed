//! The importers against the real reference files in the repository's `data/` and against small
//! broken files.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use gocua_protocol::import::areas::{parse_areas, parse_areas_with_known_parents, parse_hamlets};
use gocua_protocol::import::services::parse_services;
use gocua_protocol::import::CsvRowError;
use gocua_protocol::{Area, AreaLevel, AreaTree, Level42, Level43, ServiceKind};

fn data_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../data")
        .join(name)
}

fn open(name: &str) -> File {
    let path = data_file(name);
    File::open(&path).unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()))
}

fn import_areas(name: &str) -> Vec<Area> {
    parse_areas(open(name)).unwrap_or_else(|errors| {
        panic!(
            "{name} did not import:\n{}",
            errors
                .iter()
                .map(|e| e.message_vi.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        )
    })
}

fn count_level(areas: &[Area], level: AreaLevel) -> usize {
    areas.iter().filter(|a| a.level == level).count()
}

fn errors_of(result: Result<Vec<Area>, Vec<CsvRowError>>) -> Vec<CsvRowError> {
    match result {
        Ok(areas) => panic!("expected errors, imported {} areas", areas.len()),
        Err(e) => e,
    }
}

/// The one problem of an import that must have exactly one, checked to be about `line` and
/// `column`.
fn only_error(result: Result<Vec<Area>, Vec<CsvRowError>>, line: u64, column: &str) -> CsvRowError {
    let errors = errors_of(result);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = errors.into_iter().next().expect("one error");
    assert_eq!((e.line, e.column.as_str()), (line, column));
    e
}

/// Asserts the problem's whole messages, Vietnamese and English.
fn assert_messages(e: &CsvRowError, vi: &str, en: &str) {
    assert_eq!(e.message_vi, vi);
    assert_eq!(e.message_en, en);
}

/// Asserts the problem's messages say `vi` (Vietnamese) and `en` (English).
fn assert_says(e: &CsvRowError, vi: &str, en: &str) {
    assert!(e.message_vi.contains(vi), "{}", e.message_vi);
    assert!(e.message_en.contains(en), "{}", e.message_en);
}

// ---- real files ----------------------------------------------------------------------------

#[test]
fn areas_2025_07_two_tier_list() {
    let areas = import_areas("vn-admin-units-2025-07.csv");
    assert_eq!(areas.len(), 34 + 3_321);
    assert_eq!(count_level(&areas, AreaLevel::Province), 34);
    assert_eq!(count_level(&areas, AreaLevel::District), 0);
    assert_eq!(count_level(&areas, AreaLevel::Commune), 3_321);

    let mut by_type: HashMap<&str, usize> = HashMap::new();
    for a in areas.iter().filter(|a| a.level == AreaLevel::Commune) {
        *by_type.entry(a.division_type.as_str()).or_default() += 1;
    }
    assert_eq!(by_type.get("xã"), Some(&2_621));
    assert_eq!(by_type.get("phường"), Some(&687));
    assert_eq!(by_type.get("đặc khu"), Some(&13));
    assert_eq!(by_type.len(), 3, "unexpected division types: {by_type:?}");

    // Codes keep their leading zeros.
    let hanoi = areas
        .iter()
        .find(|a| a.code == "01")
        .expect("Hà Nội has code 01");
    assert_eq!(hanoi.name, "Thành phố Hà Nội");
    assert_eq!(hanoi.parent_code, None);
    let hoan_kiem = areas
        .iter()
        .find(|a| a.code == "00070")
        .expect("code 00070 kept with zeros");
    assert_eq!(hoan_kiem.parent_code.as_deref(), Some("01"));

    // Bến Tre is now part of Vĩnh Long.
    let tree = AreaTree::new(&areas);
    let ben_tre = areas.iter().find(|a| a.code == "28789").expect("28789");
    assert_eq!(ben_tre.name, "Phường Bến Tre");
    assert!(tree.is_within("28789", "86"));
    assert!(!tree.is_within("28789", "01"));
    assert!(!tree.is_within("86", "28789"));
    assert_eq!(tree.level("86"), Some(&AreaLevel::Province));

    // Every commune lies under a province.
    for a in areas.iter().filter(|a| a.level == AreaLevel::Commune) {
        let parent = a.parent_code.as_deref().expect("a commune has a parent");
        assert_eq!(tree.level(parent), Some(&AreaLevel::Province), "{}", a.code);
    }
}

#[test]
fn areas_2025_01_three_level_list() {
    let areas = import_areas("vn-admin-units-2025-01.csv");
    assert_eq!(count_level(&areas, AreaLevel::Province), 63);
    assert_eq!(count_level(&areas, AreaLevel::District), 696);
    assert_eq!(count_level(&areas, AreaLevel::Commune), 10_051);
    assert_eq!(areas.len(), 63 + 696 + 10_051);

    // Three levels deep: commune → district → province.
    let tree = AreaTree::new(&areas);
    let commune = areas.iter().find(|a| a.code == "00001").expect("00001");
    let district = commune
        .parent_code
        .as_deref()
        .expect("commune has a district");
    assert_eq!(district, "001");
    assert_eq!(tree.level(district), Some(&AreaLevel::District));
    assert!(tree.is_within("00001", "01"));
    // Before the 2025 merger the same code was Xã Bình Phú of Thành phố Bến Tre, Tỉnh Bến Tre.
    assert_eq!(tree.parent("28789"), Some("829"));
    assert!(tree.is_within("28789", "83"));
    assert!(!tree.is_within("28789", "86"));
}

#[test]
fn starter_service_catalogue() {
    let services = parse_services(open("services-starter.csv")).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(services.len(), 27);
    let by_key: HashMap<&str, _> = services.iter().map(|s| (s.key.as_str(), s)).collect();
    assert_eq!(by_key.len(), 27, "keys are unique");

    let birth = by_key["birth_registration"];
    assert_eq!(birth.code.as_deref(), Some("1.001193"));
    assert!(birth.code_verified);
    assert_eq!(birth.kind, ServiceKind::Procedure);
    assert_eq!(birth.name_vi, "Thủ tục đăng ký khai sinh");
    assert!(birth.active);
    assert_eq!(birth.level_42, None);

    let bundle = by_key["birth_bundle_under6"];
    assert_eq!(bundle.code.as_deref(), Some("2.000986"));
    assert!(
        bundle.name_vi.contains("dưới 6 tuổi"),
        "quoted field with commas: {}",
        bundle.name_vi
    );
    assert_eq!(
        by_key["id_card_first"].code.as_deref(),
        Some("2.000200"),
        "trailing zeros kept"
    );

    let judicial = by_key["judicial_record"];
    assert_eq!(judicial.code, None);
    assert!(!judicial.code_verified);
    assert_eq!(judicial.kind, ServiceKind::Procedure);

    assert_eq!(
        by_key["vneid_level2_activation"].kind,
        ServiceKind::VneidActivation
    );
    assert_eq!(by_key["dvcqg_account"].kind, ServiceKind::PortalAccount);
    assert_eq!(
        by_key["traffic_fine_payment"].kind,
        ServiceKind::OnlinePayment
    );
    assert_eq!(
        by_key["health_insurance_renewal"].kind,
        ServiceKind::OnlinePayment
    );
    assert_eq!(
        by_key["utility_bill_payment"].kind,
        ServiceKind::OnlinePayment
    );

    let verified = services.iter().filter(|s| s.code_verified).count();
    assert_eq!(
        verified, 19,
        "19 entries have a code and none of them is marked unverified"
    );
    let procedures = services
        .iter()
        .filter(|s| s.kind == ServiceKind::Procedure)
        .count();
    assert_eq!(procedures, 21);
}

// ---- area files with mistakes --------------------------------------------------------------

const HEADER: &str = "code,name,level,division_type,parent_code\n";

fn areas_csv(rows: &str) -> String {
    format!("{HEADER}{rows}")
}

#[test]
fn small_file_any_depth_with_bom_crlf_and_quotes() {
    let csv = "\u{feff}code,name,level,division_type,parent_code\r\n\
               86,Vĩnh Long,province,tỉnh,\r\n\
               829,\"Huyện Châu Thành, cũ\",district,huyện,86\r\n\
               \r\n\
               28789,Phường Bến Tre,commune,phường,829\r\n\
               28789-01,Ấp Phú Hưng,hamlet,ấp,28789\r\n\
               ,,,,\r\n";
    let areas = parse_areas(csv.as_bytes()).unwrap();
    assert_eq!(areas.len(), 4);
    assert_eq!(areas[1].name, "Huyện Châu Thành, cũ");
    let tree = AreaTree::new(&areas);
    assert!(tree.is_within("28789-01", "86"));
    assert_eq!(tree.level("28789-01"), Some(&AreaLevel::Hamlet));
}

#[test]
fn columns_in_any_order_and_nfd_names_are_normalised() {
    let nfd_name = "Phu\u{31b}o\u{31b}\u{300}ng Be\u{302}\u{301}n Tre"; // "Phường Bến Tre", decomposed
    let csv = format!("parent_code,level,code,name,division_type\n,province,86,Vĩnh Long,tỉnh\n86,commune,28789,{nfd_name},phường\n");
    let areas = parse_areas(csv.as_bytes()).unwrap();
    assert_eq!(areas[1].code, "28789");
    assert_eq!(areas[1].name, "Phường Bến Tre");
}

#[test]
fn duplicate_code_names_the_first_line() {
    let csv = areas_csv("01,Hà Nội,province,thành phố trung ương,\n02,Hà Giang,province,tỉnh,\n01,Hà Nội 2,province,tỉnh,\n");
    let e = only_error(parse_areas(csv.as_bytes()), 4, "code");
    assert_messages(
        &e,
        "Dòng 4, cột code: mã \"01\" bị trùng với dòng 2.",
        "Line 4, column code: code \"01\" is already used on line 2.",
    );
}

#[test]
fn leading_zeros_make_different_codes() {
    let csv = areas_csv("01,Hà Nội,province,tỉnh,\n1,Khác,province,tỉnh,\n");
    let areas = parse_areas(csv.as_bytes()).unwrap();
    assert_eq!(
        areas.iter().map(|a| a.code.as_str()).collect::<Vec<_>>(),
        ["01", "1"]
    );
}

#[test]
fn missing_parent_gives_line_and_column() {
    let csv = areas_csv("86,Vĩnh Long,province,tỉnh,\n28789,Phường Bến Tre,commune,phường,86\n28790,Xã X,commune,xã,999\n");
    let e = only_error(parse_areas(csv.as_bytes()), 4, "parent_code");
    assert_messages(
        &e,
        "Dòng 4, cột parent_code: không có đơn vị cha mã \"999\" trong tệp.",
        "Line 4, column parent_code: no parent unit with code \"999\" in the file.",
    );
    assert_eq!(e.to_string(), e.message_en);
}

#[test]
fn parent_may_already_be_in_the_database() {
    let csv = areas_csv("28789,Phường Bến Tre,commune,phường,86\n28790,Xã X,commune,xã,999\n");
    let asked = std::cell::RefCell::new(Vec::new());
    let known = |code: &str| {
        asked.borrow_mut().push(code.to_owned());
        code == "86"
    };
    let errors = errors_of(parse_areas_with_known_parents(csv.as_bytes(), &known));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, 3);
    assert!(
        errors[0]
            .message_vi
            .contains("\"999\" trong tệp và trong dữ liệu đã có"),
        "{}",
        errors[0].message_vi
    );

    let ok = parse_areas_with_known_parents(
        areas_csv("28789,Phường Bến Tre,commune,phường,86\n").as_bytes(),
        &|c| c == "86",
    )
    .unwrap();
    assert_eq!(ok[0].parent_code.as_deref(), Some("86"));
    assert!(asked.borrow().iter().all(|c| c == "86" || c == "999"));
}

#[test]
fn unknown_level_is_an_error() {
    let csv = areas_csv("86,Vĩnh Long,province,tỉnh,\n28789,Phường Bến Tre,ward,phường,86\n");
    let e = only_error(parse_areas(csv.as_bytes()), 3, "level");
    assert_says(
        &e,
        "cấp \"ward\" không hợp lệ",
        "province, district, commune",
    );
}

#[test]
fn loop_of_parents_is_reported_once() {
    let csv = areas_csv(
        "A,Một,province,tỉnh,C\nB,Hai,district,huyện,A\nC,Ba,commune,xã,B\nD,Bốn,commune,xã,C\n",
    );
    let e = only_error(parse_areas(csv.as_bytes()), 2, "parent_code");
    assert_says(&e, "vòng lặp", "A → C → B → A");
}

#[test]
fn own_parent_is_an_error() {
    let csv = areas_csv("86,Vĩnh Long,province,tỉnh,86\n");
    let e = only_error(parse_areas(csv.as_bytes()), 2, "parent_code");
    assert!(e.message_en.contains("own parent"));
}

#[test]
fn all_errors_are_collected_in_line_order() {
    let csv = areas_csv(",Không mã,province,tỉnh,\n86,,province,tỉnh,\n87,X,,tỉnh,\n88,Y,commune,xã,404\n89,Z,commune\n");
    let errors = errors_of(parse_areas(csv.as_bytes()));
    let found: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(
        found,
        [
            (2, "code"),
            (3, "name"),
            (4, "level"),
            (5, "parent_code"),
            (6, "")
        ],
        "{errors:?}"
    );
    assert!(
        errors[4].message_vi.contains("dòng có 3 cột"),
        "{}",
        errors[4].message_vi
    );
}

#[test]
fn missing_header_column() {
    let csv = "code,name,division_type,parent_code\n86,Vĩnh Long,tỉnh,\n";
    let errors = errors_of(parse_areas(csv.as_bytes()));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((errors[0].line, errors[0].column.as_str()), (1, "level"));
    assert!(
        errors[0]
            .message_vi
            .starts_with("Dòng 1, cột level: dòng tiêu đề không có cột \"level\""),
        "{}",
        errors[0].message_vi
    );

    let errors = errors_of(parse_areas("".as_bytes()));
    assert_eq!(errors[0].line, 1);
    assert!(errors[0].message_vi.contains("tệp trống"));
}

#[test]
fn file_not_in_utf8_is_reported_per_line() {
    // "Vĩnh Long" in a legacy one-byte code page: not UTF-8.
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"86,V\xECnh Long,province,t\xECnh,\n");
    bytes.extend_from_slice(b"28789,Phuong Ben Tre,commune,phuong,86\n");
    let errors = errors_of(parse_areas(bytes.as_slice()));
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!((errors[0].line, errors[0].column.as_str()), (2, "name"));
    assert!(errors[0].message_vi.contains("CSV UTF-8"));
}

// ---- hamlets -------------------------------------------------------------------------------

#[test]
fn hamlets_go_under_their_commune() {
    let csv = "code,name,division_type,commune_code\n28789-01,Ấp Phú Hưng,Ấp,28789\n28789-02,Khu phố 3,khu phố,28789\n";
    let hamlets = parse_hamlets(csv.as_bytes(), &|c| c == "28789").unwrap();
    assert_eq!(hamlets.len(), 2);
    assert!(hamlets
        .iter()
        .all(|h| h.level == AreaLevel::Hamlet && h.parent_code.as_deref() == Some("28789")));
    assert_eq!(hamlets[0].division_type, "ấp");

    let mut all = import_areas("vn-admin-units-2025-07.csv");
    all.extend(hamlets);
    let tree = AreaTree::new(&all);
    assert!(
        tree.is_within("28789-02", "86"),
        "a hamlet of Phường Bến Tre is in Vĩnh Long"
    );
}

#[test]
fn hamlet_errors() {
    let csv = "code,name,division_type,commune_code\n\
               H1,Thôn 1,thôn,00070\n\
               H2,Thôn 2,thôn,99999\n\
               H1,Thôn 1 bis,thôn,00070\n\
               H3,,,\n";
    let errors = match parse_hamlets(csv.as_bytes(), &|c| c == "00070") {
        Ok(h) => panic!("expected errors, got {h:?}"),
        Err(e) => e,
    };
    let found: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(
        found,
        [
            (3, "commune_code"),
            (4, "code"),
            (5, "name"),
            (5, "division_type"),
            (5, "commune_code")
        ],
        "{errors:?}"
    );
    assert_eq!(
        errors[0].message_vi,
        "Dòng 3, cột commune_code: không có xã, phường mã \"99999\" trong danh mục địa bàn."
    );
    assert_eq!(
        errors[0].message_en,
        "Line 3, column commune_code: no commune with code \"99999\" in the area list."
    );
}

// ---- services with mistakes ----------------------------------------------------------------

const SERVICE_HEADER: &str = "key,code,name_vi,name_en,authority,code_confidence";

fn service_errors(csv: &str) -> Vec<CsvRowError> {
    match parse_services(csv.as_bytes()) {
        Ok(s) => panic!("expected errors, got {s:?}"),
        Err(e) => e,
    }
}

#[test]
fn bad_procedure_code_names_the_column() {
    let csv = format!("{SERVICE_HEADER}\nbirth_registration,1.001193,Đăng ký khai sinh,Birth,UBND,ok\nmarriage,1-000894,Đăng ký kết hôn,Marriage,UBND,ok\nx,1.,Tên,Name,,ok\n");
    let errors = service_errors(&csv);
    let found: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(found, [(3, "code"), (4, "code")], "{errors:?}");
    assert_eq!(
        errors[0].message_vi,
        "Dòng 3, cột code: mã thủ tục \"1-000894\" không đúng dạng số.số của danh mục quốc gia (ví dụ 1.001193)."
    );
}

#[test]
fn service_key_rules() {
    let csv = format!(
        "{SERVICE_HEADER}\n\
         birth_registration,,Khai sinh,,,\n\
         birth_registration,,Khai sinh 2,,,\n\
         Birth-Registration,,Khai sinh 3,,,\n\
         ,,Khai sinh 4,,,\n\
         no_name,,,,,\n"
    );
    let errors = service_errors(&csv);
    let found: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(
        found,
        [(3, "key"), (4, "key"), (5, "key"), (6, "name_vi")],
        "{errors:?}"
    );
    assert!(errors[0].message_en.contains("line 2"));
}

#[test]
fn edited_catalogue_columns_override_inference() {
    let csv = format!(
        "{SERVICE_HEADER},kind,level_42,level_43,active\n\
         birth_registration,1.001193,Đăng ký khai sinh,Birth registration,UBND cấp xã,two public sources,,toan_trinh,4,\n\
         judicial_record,1.001234,Cấp phiếu lý lịch tư pháp,Judicial record,Công an,code unverified,procedure,Một phần,Mức độ 3,không\n\
         dvcqg_account,,Tài khoản Cổng DVC,Portal account,VPCP,not a coded procedure,other,,,true\n"
    );
    let services = parse_services(csv.as_bytes()).unwrap();
    assert_eq!(services[0].level_42, Some(Level42::ToanTrinh));
    assert_eq!(services[0].level_43, Some(Level43::Level4));
    assert!(services[0].active);
    assert_eq!(services[0].kind, ServiceKind::Procedure);
    assert_eq!(services[1].level_42, Some(Level42::MotPhan));
    assert_eq!(services[1].level_43, Some(Level43::Level3));
    assert!(!services[1].active);
    assert!(
        !services[1].code_verified,
        "code present but marked unverified"
    );
    assert_eq!(
        services[2].kind,
        ServiceKind::Other,
        "explicit kind wins over the key"
    );

    let bad = format!(
        "{SERVICE_HEADER},kind,level_42,level_43,active\n\
         a,,Tên,,,,teleport,partial,5,maybe\n"
    );
    let errors = service_errors(&bad);
    let found: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(
        found,
        [(2, "kind"), (2, "level_42"), (2, "level_43"), (2, "active")],
        "{errors:?}"
    );
}

#[test]
fn services_missing_header_columns_are_all_listed() {
    let errors = service_errors("key,name_vi\nbirth_registration,Khai sinh\n");
    let columns: Vec<&str> = errors.iter().map(|e| e.column.as_str()).collect();
    assert_eq!(columns, ["code", "name_en", "authority", "code_confidence"]);
    assert!(errors.iter().all(|e| e.line == 1));
}

#[test]
fn a_row_after_blank_lines_is_reported_at_its_own_line() {
    let csv = "code,name,level,division_type,parent_code\n01,Thành phố Hà Nội,province,tỉnh,\n\n\n00070,Phường Hoàn Kiếm,commune,phường,999\n";
    let errors = gocua_protocol::import::areas::parse_areas(csv.as_bytes()).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, 5);
    assert_eq!(errors[0].column, "parent_code");
}

#[test]
fn windows_line_endings_keep_line_numbers() {
    let csv = "code,name,level,division_type,parent_code\r\n01,Thành phố Hà Nội,province,tỉnh,\r\n00070,Phường Hoàn Kiếm,commune,phường,999\r\n";
    let errors = gocua_protocol::import::areas::parse_areas(csv.as_bytes()).unwrap_err();
    assert_eq!(errors[0].line, 3, "{errors:?}");
}
