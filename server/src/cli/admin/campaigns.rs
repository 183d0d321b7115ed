//! `gocua admin create-campaign | edit-campaign | campaigns | set-target | progress`: campaigns,
//! targets and progress.

use super::{parse_id, tx, Failure};
use crate::cli::args::EditCampaignArgs;
use crate::cli::print;
use crate::db::Db;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::coordination;
use crate::domain::format;

pub fn create_campaign(
    db: &Db,
    name: String,
    reference: String,
    from: String,
    to: String,
    deadline: String,
    peak: Vec<String>,
) -> Result<(), Failure> {
    let starts_on = coordination::parse_date("bắt đầu", "start", &from)?;
    let ends_on = coordination::parse_date("kết thúc", "end", &to)?;
    let report_deadline = coordination::parse_date("hạn báo cáo", "report deadline", &deadline)?;
    let peak_windows = peak
        .iter()
        .map(|p| coordination::parse_peak(p))
        .collect::<Result<Vec<_>, _>>()?;
    let campaign = tx(db, |sql| {
        coordination::create_campaign(
            sql,
            &coordination::NewCampaign {
                id: None,
                name,
                legal_reference: reference,
                starts_on,
                ends_on,
                report_deadline,
                peak_windows,
            },
        )
    })?;
    println!(
        "Đã tạo kế hoạch \"{}\" {} ({} – {}, hạn báo cáo {}). / Created campaign ({} to {}, report due {}).",
        campaign.name,
        campaign.legal_reference,
        format::date(campaign.starts_on),
        format::date(campaign.ends_on),
        format::date(campaign.report_deadline),
        campaign.starts_on,
        campaign.ends_on,
        campaign.report_deadline
    );
    println!("{}", campaign.id);
    Ok(())
}

pub fn campaigns(db: &Db) -> Result<(), Failure> {
    let campaigns = tx(db, coordination::list_campaigns)?;
    if campaigns.is_empty() {
        println!("Chưa có kế hoạch nào. / No campaigns yet.");
    }
    for c in campaigns {
        println!(
            "{}  {} – {}  {}  {}",
            c.id,
            format::date(c.starts_on),
            format::date(c.ends_on),
            c.legal_reference,
            c.name
        );
    }
    Ok(())
}

pub fn set_target(
    db: &Db,
    campaign: String,
    team: String,
    indicator: String,
    value: u64,
    from: Option<String>,
    to: Option<String>,
) -> Result<(), Failure> {
    let campaign_id = parse_id("kế hoạch", "campaign", &campaign)?;
    let team_id = parse_id("đội", "team", &team)?;
    let indicator = coordination::parse_indicator(&indicator)?;
    let starts_on = from
        .as_deref()
        .map(|d| coordination::parse_date("bắt đầu", "start", d))
        .transpose()?;
    let ends_on = to
        .as_deref()
        .map(|d| coordination::parse_date("kết thúc", "end", d))
        .transpose()?;
    let target = tx(db, |sql| {
        coordination::set_target(
            sql,
            &coordination::NewTarget {
                campaign_id,
                team_id,
                indicator,
                value,
                starts_on,
                ends_on,
            },
        )
    })?;
    println!(
        "Đã đặt chỉ tiêu \"{}\": {} ({} – {}). / Set target \"{}\": {} ({} to {}).",
        target.indicator.label_vi(),
        target.value,
        format::date(target.starts_on),
        format::date(target.ends_on),
        target.indicator.label_en(),
        target.value,
        target.starts_on,
        target.ends_on
    );
    println!("{}", target.id);
    Ok(())
}

pub fn progress(db: &Db, campaign: String) -> Result<(), Failure> {
    let campaign_id = parse_id("kế hoạch", "campaign", &campaign)?;
    let progress = tx(db, |sql| {
        crate::domain::progress::campaign_progress(sql, campaign_id)
    })?;
    print!("{}", print::progress_table(&progress));
    Ok(())
}

pub fn edit_campaign(db: &Db, e: EditCampaignArgs) -> Result<(), Failure> {
    let by = e.by.trim().to_owned();
    if by.is_empty() || by.chars().count() > 64 {
        return Err(super::invalid(
            "Hãy ghi người thực hiện (--by, tối đa 64 ký tự).",
            "Name who does this (--by, at most 64 characters).",
        ));
    }
    let id = parse_id("kế hoạch", "campaign", &e.campaign)?;
    let date = |raw: &Option<String>, vi: &str, en: &str| {
        raw.as_deref()
            .map(|d| coordination::parse_date(vi, en, d))
            .transpose()
    };
    let peak_windows = if e.no_peaks {
        Some(Vec::new())
    } else if e.peak.is_empty() {
        None
    } else {
        Some(
            e.peak
                .iter()
                .map(|p| coordination::parse_peak(p))
                .collect::<Result<Vec<_>, _>>()?,
        )
    };
    let edit = coordination::CampaignEdit {
        name: e.name,
        legal_reference: e.reference,
        starts_on: date(&e.from, "bắt đầu", "start")?,
        ends_on: date(&e.to, "kết thúc", "end")?,
        report_deadline: date(&e.deadline, "hạn báo cáo", "report deadline")?,
        peak_windows,
    };
    let edited = tx(db, |sql| {
        let edited = coordination::edit_campaign(sql, id, &edit)?;
        if !edited.changed.is_empty() {
            audit::record(
                sql,
                None,
                &by,
                &edited.campaign.name,
                &AuditEvent::CampaignEdited {
                    changed: edited.changed.iter().map(|c| (*c).to_owned()).collect(),
                    targets_moved: edited.targets_moved,
                    via: "cli".into(),
                },
            )?;
        }
        Ok(edited)
    })?;
    let c = &edited.campaign;
    if edited.changed.is_empty() {
        println!("Không có gì thay đổi. / Nothing changed.");
        return Ok(());
    }
    println!(
        "Đã sửa kế hoạch \"{}\" ({}): {} – {}, hạn báo cáo {}; {} chỉ tiêu theo thời gian mới. / Campaign edited ({}): {} to {}, report due {}; {} target(s) moved.",
        c.name,
        edited.changed.join(", "),
        format::date(c.starts_on),
        format::date(c.ends_on),
        format::date(c.report_deadline),
        edited.targets_moved,
        edited.changed.join(", "),
        c.starts_on,
        c.ends_on,
        c.report_deadline,
        edited.targets_moved
    );
    Ok(())
}
