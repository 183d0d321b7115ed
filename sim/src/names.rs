//! Vietnamese names, streets, addresses, mobile numbers and phone models, drawn with realistic
//! frequencies (family names roughly as common as in the Mekong Delta). Every simulated phone,
//! test device, benchmark and example takes its people from here.

use rand::Rng;

use crate::draw::{pick, weighted};

/// The handsets volunteers carry, for device labels.
pub const PHONE_MODELS: &[&str] = &[
    "Samsung Galaxy A05",
    "OPPO A18",
    "Xiaomi Redmi 13C",
    "vivo Y17s",
    "iPhone 11",
    "Nokia C32",
];

/// Family names with their weights (Nguyễn is by far the most common).
pub const FAMILY: &[(&str, u32)] = &[
    ("Nguyễn", 30),
    ("Trần", 11),
    ("Lê", 10),
    ("Phạm", 7),
    ("Huỳnh", 6),
    ("Võ", 6),
    ("Phan", 4),
    ("Trương", 3),
    ("Bùi", 3),
    ("Đặng", 3),
    ("Đỗ", 2),
    ("Ngô", 2),
    ("Hồ", 2),
    ("Dương", 2),
    ("Lý", 1),
    ("Châu", 1),
    ("Đoàn", 1),
    ("Lâm", 1),
];
/// Men's middle names; a repeated entry is drawn more often.
pub const MALE_MIDDLE: &[&str] = &[
    "Văn", "Văn", "Văn", "Hữu", "Minh", "Quốc", "Thanh", "Công", "Hoàng", "Đức",
];
/// Women's middle names; a repeated entry is drawn more often.
pub const FEMALE_MIDDLE: &[&str] = &[
    "Thị", "Thị", "Thị", "Ngọc", "Thanh", "Kim", "Mỹ", "Thu", "Bích",
];
pub const MALE_GIVEN: &[&str] = &[
    "Hùng", "Dũng", "Tuấn", "Phúc", "Bình", "Sang", "Lộc", "Tâm", "Hải", "Nam", "Thành", "Trung",
    "Hiếu", "Khang", "Tài", "Nghĩa", "Vũ", "Long", "Toàn", "Quang",
];
pub const FEMALE_GIVEN: &[&str] = &[
    "Lan",
    "Hoa",
    "Mai",
    "Nhung",
    "Thảo",
    "Hạnh",
    "Trang",
    "Hương",
    "Yến",
    "Loan",
    "Phượng",
    "Diễm",
    "Tuyết",
    "Hằng",
    "Ngân",
    "Liên",
    "Cúc",
    "Đào",
    "Vân",
    "Thủy",
];
/// Streets of the ward of Bến Tre (without the word "đường").
pub const STREETS: &[&str] = &[
    "Đồng Khởi",
    "Hùng Vương",
    "Nguyễn Đình Chiểu",
    "Đoàn Hoàng Minh",
    "Trần Quốc Tuấn",
    "Nguyễn Huệ",
    "Lê Lai",
];
/// The first three digits of Vietnamese mobile numbers.
pub const PHONE_PREFIXES: &[&str] = &[
    "090", "091", "093", "094", "097", "098", "086", "032", "035", "039", "070", "077", "079",
    "083", "085",
];

/// A full name, family name first: "Nguyễn Thị Lan", "Trần Văn Hùng".
pub fn person_name<R: Rng + ?Sized>(rng: &mut R) -> String {
    let family = weighted(rng, FAMILY);
    if rng.random_bool(0.5) {
        format!(
            "{family} {} {}",
            pick(rng, MALE_MIDDLE),
            pick(rng, MALE_GIVEN)
        )
    } else {
        format!(
            "{family} {} {}",
            pick(rng, FEMALE_MIDDLE),
            pick(rng, FEMALE_GIVEN)
        )
    }
}

/// A mobile number as people write it: "0912 345 678".
pub fn phone_number<R: Rng + ?Sized>(rng: &mut R) -> String {
    format!(
        "{}{} {:03} {:03}",
        pick(rng, PHONE_PREFIXES),
        rng.random_range(0..10),
        rng.random_range(0..1000),
        rng.random_range(0..1000)
    )
}

/// A house on a street of the ward: "Số 12, đường Hùng Vương".
pub fn street_line<R: Rng + ?Sized>(rng: &mut R) -> String {
    format!(
        "Số {}, đường {}",
        rng.random_range(1..250),
        pick(rng, STREETS)
    )
}

/// An address in `hamlet`: a street address in a ward's quarter (`ward`), else a house number
/// and a residents' group (tổ) in a rural hamlet, or only the group.
pub fn address<R: Rng + ?Sized>(rng: &mut R, hamlet: &str, ward: bool) -> String {
    if ward {
        format!("{}, {}", street_line(rng), hamlet.to_lowercase())
    } else if rng.random_bool(0.5) {
        format!(
            "Số {}, tổ {}, {}",
            rng.random_range(1..400),
            rng.random_range(1..12),
            hamlet.to_lowercase()
        )
    } else {
        format!("Tổ {}, {}", rng.random_range(1..12), hamlet.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    #[test]
    fn names_and_phones_look_real() {
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..50 {
            let name = person_name(&mut rng);
            assert_eq!(name.split(' ').count(), 3, "{name}");
            let phone = phone_number(&mut rng);
            let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
            assert!(digits.len() == 10 && digits.starts_with('0'), "{phone}");
        }
    }

    #[test]
    fn addresses_name_their_hamlet() {
        let mut rng = StdRng::seed_from_u64(2);
        for ward in [true, false] {
            for _ in 0..20 {
                let a = address(&mut rng, "Khu phố 1", ward);
                assert!(a.ends_with(", khu phố 1"), "{a}");
                assert_eq!(a.contains("đường"), ward, "{a}");
            }
        }
    }
}
