//! The built-in starter guides (`builtin_guides/*.md`): short guides for the starter catalogue's
//! most common services, written from the public legal texts each one names in its "Nguồn /
//! Source" line. They are loaded as needing a coordinator's check (`coordination::guides::
//! load_starter_guides`), by the first-run set-up, the demo and `gocua admin load-starter-guides`.

/// (service key of the starter catalogue, Markdown).
pub const STARTER: &[(&str, &str)] = &[
    (
        "birth_registration",
        include_str!("builtin_guides/birth_registration.md"),
    ),
    (
        "birth_bundle_under6",
        include_str!("builtin_guides/birth_bundle_under6.md"),
    ),
    (
        "vneid_level2_activation",
        include_str!("builtin_guides/vneid_level2_activation.md"),
    ),
    (
        "permanent_residence",
        include_str!("builtin_guides/permanent_residence.md"),
    ),
    (
        "temporary_residence",
        include_str!("builtin_guides/temporary_residence.md"),
    ),
    (
        "health_insurance_renewal",
        include_str!("builtin_guides/health_insurance_renewal.md"),
    ),
    (
        "dvcqg_account",
        include_str!("builtin_guides/dvcqg_account.md"),
    ),
];

#[cfg(test)]
mod tests {
    use gocua_protocol::guide::{self, Block};

    use super::*;
    use crate::domain::builtin_data;

    #[test]
    fn every_starter_guide_is_valid_and_names_its_source() {
        let catalogue = String::from_utf8_lossy(builtin_data::services_csv()).into_owned();
        for (key, body) in STARTER {
            assert!(
                catalogue.lines().any(|l| l.starts_with(&format!("{key},"))),
                "{key} is not in the starter catalogue"
            );
            guide::check(body).unwrap_or_else(|e| panic!("{key}: {}", e.message_en()));
            assert!(
                body.contains("**Nguồn / Source:**"),
                "{key}: no source line"
            );
            let blocks = guide::parse(body);
            assert!(
                matches!(blocks.first(), Some(Block::Heading { .. })),
                "{key}: starts with a heading"
            );
            let lists = blocks
                .iter()
                .filter(|b| matches!(b, Block::List(_)))
                .count();
            assert!(lists >= 3, "{key}: documents, steps, problems");
        }
    }
}
